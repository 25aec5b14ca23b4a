// The scenario table: the single source of truth for the example agents and their dataset.
// `assay-example-agent --dump-scenarios > examples/agents/scenarios.json` writes it as JSON for the
// Python agent and `examples/agents/make_dataset.py`; regenerate both after editing this file.

extension Scenario {
    /// Every scenario, in a fixed order.
    static let all: [Scenario] = [
        Scenario(
            key: "outage",
            from: "Marco Bianchi <ops@veloce-retail.example>",
            subject: "URGENT: dashboards down since 07:40",
            body: "Sam, none of our store dashboards have loaded since 07:40 CET and every panel shows 'query timeout'. "
                + "Our regional managers need them for the 10:00 stand-up. Is there an incident on your side? "
                + "Please call me on +39 02 5550 1234 as soon as you can.\n\nMarco",
            label: .urgent,
            reason: "Production outage reported by a customer with a hard 10:00 deadline.",
            nextAction: "open a P1 ticket and reply immediately",
            documents: ["kb-incident-001", "kb-status-001"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "create_ticket",
                    arguments: #"{"customer":"veloce-retail","severity":"P1","summary":"All store dashboards time out since 07:40 CET"}"#,
                    result: #"{"on_call_paged":true,"severity":"P1","ticket_id":"INC-8812"}"#),
                wrongArguments: #"{"customer":"veloce-retail","severity":"P3","summary":"Dashboards are slow"}"#),
            reply: "Hi Marco,\n\nThank you for reporting this so quickly. I have opened a P1 incident (INC-8812) and our on-call "
                + "engineers have been paged. They are looking into the query timeouts now. You can follow live updates on "
                + "https://status.northwind.example. I will call you on +39 02 5550 1234 within the next 15 minutes with "
                + "what we know.\n\nSam"),
        Scenario(
            key: "invoice",
            from: "Priya Raman <accounts@brightfield.example>",
            subject: "Invoice INV-2025-0412 looks doubled",
            body: "Hello,\n\nWe were charged twice for the May seats on invoice INV-2025-0412 (EUR 4,200 instead of EUR 2,100). "
                + "Can you check and send a corrected invoice? Our payment run is on Wednesday.\n\nKind regards,\nPriya",
            label: .needsReply,
            reason: "Billing dispute with a concrete invoice number and a payment deadline.",
            nextAction: "look up the invoice and answer",
            documents: ["kb-billing-007", "kb-billing-003"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "lookup_invoice",
                    arguments: #"{"invoice_id":"INV-2025-0412"}"#,
                    result: #"{"amount_eur":4200.0,"duplicate_line":true,"invoice_id":"INV-2025-0412","status":"open"}"#),
                wrongArguments: #"{"invoice_id":"INV-2025-0421"}"#),
            reply: "Hello Priya,\n\nThank you for flagging this. You are right, the May seats appear twice on INV-2025-0412. "
                + "I have asked our finance team to issue a credit note and a corrected invoice for EUR 2,100. "
                + "You should have both within two business days, ahead of your Wednesday payment run. "
                + "Sorry for the trouble.\n\nBest regards,\nSam"),
        Scenario(
            key: "reschedule",
            from: "Dana Whitfield <dana.whitfield@acme-logistics.example>",
            subject: "Can we move Thursday's call?",
            body: "Hi Sam,\n\nSorry, something came up on Thursday. Could we move our call to Monday or Tuesday next week, "
                + "ideally before lunch? Procurement agreed to extend the decision deadline by a few days.\n\nBest,\nDana",
            label: .needsReply,
            reason: "A customer asks to reschedule a meeting to specific days.",
            nextAction: "check calendar and propose new slots",
            documents: ["kb-calendar-002"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "search_calendar",
                    arguments: #"{"days":7,"query":"30 min, Mon-Tue before 12:00"}"#,
                    result: #"{"slots":["2025-06-16T10:00:00+02:00","2025-06-17T11:00:00+02:00"]}"#),
                wrongArguments: #"{"days":1,"query":"30 min, Thursday"}"#),
            reply: "Hi Dana,\n\nNo problem at all, thanks for letting me know. I can do Monday at 10:00 or Tuesday at 11:00, "
                + "both before lunch. Just tell me which one suits you and I will move the invite. "
                + "Good to hear procurement gave us a few more days.\n\nBest,\nSam"),
        Scenario(
            key: "newsletter",
            from: "DataWeekly <news@dataweekly.example>",
            subject: "This week in analytics: 5 dashboards we loved",
            body: "Welcome to issue #212! This week: streaming joins explained, a deep dive into cohort retention charts, "
                + "and five community dashboards that made our editors smile. Plus: early-bird tickets for DataConf Berlin "
                + "are on sale until Sunday. Unsubscribe at any time from your profile page.",
            label: .fyi,
            reason: "Newsletter with no question or deadline addressed to Sam.",
            nextAction: "archive with label newsletters",
            documents: ["kb-mail-001"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "archive_email",
                    arguments: #"{"label":"newsletters","sender":"news@dataweekly.example"}"#,
                    result: #"{"archived":true,"label":"newsletters"}"#),
                wrongArguments: #"{"label":"inbox","sender":"news@dataweekly.example"}"#),
            reply: "Hi Sam,\n\nThis is the weekly DataWeekly newsletter. Nothing in it needs an answer, so I archived it under "
                + "newsletters. The DataConf Berlin early-bird tickets are on sale until Sunday if you are interested.\n\nYour assistant"),
        Scenario(
            key: "password",
            from: "Tom Becker <tom.becker@harbor-foods.example>",
            subject: "Locked out of my account",
            body: "Hi,\n\nI tried to log in this morning and after three attempts my account is locked. I need to get into the "
                + "reporting workspace before our board meeting tomorrow. Can you help me get back in?\n\nThanks,\nTom",
            label: .needsReply,
            reason: "A user is locked out and needs access before a meeting tomorrow.",
            nextAction: "send a password reset link and reply",
            documents: ["kb-account-003"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "reset_password",
                    arguments: #"{"user_email":"tom.becker@harbor-foods.example"}"#,
                    result: #"{"expires_in_minutes":30,"reset_link_sent":true}"#),
                wrongArguments: #"{"user_email":"tom@harbor-foods.example"}"#),
            reply: "Hi Tom,\n\nSorry you got locked out. I have sent a password reset link to tom.becker@harbor-foods.example; "
                + "it is valid for 30 minutes. Once you have set a new password you can log in to the reporting workspace "
                + "straight away. Let me know if the link does not arrive.\n\nBest,\nSam"),
        Scenario(
            key: "refund",
            from: "Lena Hoffmann <lena.hoffmann@kleinwerk.example>",
            subject: "Refund for order ORD-55821",
            body: "Hello,\n\nWe cancelled the extra analyst seats on order ORD-55821 within the first week, but the card was "
                + "still charged EUR 380. Could you refund that amount, please?\n\nRegards,\nLena",
            label: .needsReply,
            reason: "A customer asks for a refund of a cancelled order within the trial week.",
            nextAction: "look up the order and confirm the refund",
            documents: ["kb-refund-002"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "lookup_order",
                    arguments: #"{"order_id":"ORD-55821"}"#,
                    result: #"{"amount_eur":380.0,"cancelled_within_days":5,"order_id":"ORD-55821","refundable":true}"#),
                wrongArguments: #"{"order_id":"ORD-55812"}"#),
            reply: "Hello Lena,\n\nThank you for writing. I checked order ORD-55821 and the seats were cancelled within the "
                + "first week, so you are entitled to a full refund of EUR 380. The refund goes back to the same card and "
                + "usually shows within five to seven business days.\n\nBest regards,\nSam"),
        Scenario(
            key: "renewal",
            from: "Dana Whitfield <dana.whitfield@acme-logistics.example>",
            subject: "Contract renewal before the 30th",
            body: "Hi Sam,\n\nOur analytics contract runs out on the 30th and procurement wants a decision by Friday. Could we "
                + "meet this week to go over the renewal terms and the new dashboard seats? Thursday afternoon would suit me "
                + "best, otherwise Friday morning.\n\nThanks,\nDana",
            label: .needsReply,
            reason: "Customer asks for a meeting about a renewal with a Friday deadline.",
            nextAction: "check calendar and propose two slots",
            documents: ["kb-renewals-004", "kb-calendar-002"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "search_calendar",
                    arguments: #"{"days":3,"query":"30 min, Thu-Fri"}"#,
                    result: #"{"slots":["2025-06-12T14:00:00+02:00","2025-06-12T16:30:00+02:00","2025-06-13T10:30:00+02:00"]}"#),
                wrongArguments: #"{"days":30,"query":"1 hour, next month"}"#),
            reply: "Hi Dana,\n\nThanks for the heads-up on the deadline. I can do Thursday at 14:00 or 16:30, or Friday at "
                + "10:30 if that is easier. The call takes about 30 minutes and we will cover the renewal terms and the new "
                + "dashboard seats. Just tell me which slot works and I will send the invite right away.\n\nBest,\nSam"),
        Scenario(
            key: "feature",
            from: "Jonas Lindqvist <jonas@nordpeak.example>",
            subject: "Feature idea: export dashboards to PowerPoint",
            body: "Hi Sam,\n\nOur sales team copies charts into slides every Monday. Would it be possible to export a whole "
                + "dashboard to PowerPoint in one click? Happy to give feedback on an early version.\n\nCheers,\nJonas",
            label: .needsReply,
            reason: "A customer suggests a product feature and offers feedback.",
            nextAction: "thank them and log the idea",
            documents: ["kb-product-005"],
            tool: nil,
            reply: "Hi Jonas,\n\nThanks for the suggestion, a one-click PowerPoint export makes a lot of sense for weekly sales "
                + "decks. I have added it to our product board so the team can weigh it for the roadmap. I cannot promise a "
                + "date yet, but I will let you know when there is an early version to try.\n\nBest,\nSam"),
        Scenario(
            key: "security",
            from: "Aisha Karimi <aisha.karimi@securelab.example>",
            subject: "Possible XSS in your dashboard share links",
            body: "Hello,\n\nI am a security researcher. The title field of shared dashboard links is rendered without escaping, "
                + "so a crafted title runs script for anyone who opens the link. I have not shared this publicly. Details "
                + "and a proof of concept are attached.\n\nAisha Karimi",
            label: .urgent,
            reason: "A researcher reports a vulnerability that affects every shared link.",
            nextAction: "open a security ticket and acknowledge",
            documents: ["kb-security-002"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "create_ticket",
                    arguments: #"{"queue":"security","severity":"P1","summary":"Reported stored XSS in dashboard share link titles"}"#,
                    result: #"{"queue":"security","severity":"P1","ticket_id":"SEC-0419"}"#),
                wrongArguments: #"{"queue":"support","severity":"P3","summary":"Question about share links"}"#),
            reply: "Hello Aisha,\n\nThank you for reporting this to us privately. I have passed your report to our security team "
                + "as ticket SEC-0419 and they will confirm the issue within 24 hours. We will keep you informed while we work "
                + "on a fix and would appreciate it if you keep the details private until then.\n\nBest regards,\nSam"),
        Scenario(
            key: "shipping",
            from: "Carlos Mendes <carlos@brisa-cafes.example>",
            subject: "Where is our hardware kit? Order ORD-60217",
            body: "Hi,\n\nWe ordered the in-store display kit (order ORD-60217) two weeks ago and it still has not arrived. "
                + "The tracking page has not changed since last Tuesday. We open the new store on Saturday.\n\nCarlos",
            label: .needsReply,
            reason: "A customer asks about a delayed delivery with an opening date.",
            nextAction: "track the shipment and reply with a date",
            documents: ["kb-shipping-001"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "track_shipment",
                    arguments: #"{"order_id":"ORD-60217"}"#,
                    result: #"{"carrier":"DHL","estimated_delivery":"2025-06-13","status":"held at customs"}"#),
                wrongArguments: #"{"order_id":"ORD-61207"}"#),
            reply: "Hi Carlos,\n\nSorry for the wait. Your display kit (ORD-60217) was held at customs and is now with DHL, "
                + "with delivery expected on Friday the 13th, a day before your opening. I will keep an eye on it and let you "
                + "know at once if anything changes.\n\nBest,\nSam"),
        Scenario(
            key: "gdpr",
            from: "Eva Novak <eva.novak@mailbox.example>",
            subject: "Data access request under GDPR Article 15",
            body: "Dear Northwind team,\n\nUnder Article 15 of the GDPR I request a copy of all personal data you hold about me, "
                + "including the purposes of processing and who it was shared with. My account email is "
                + "eva.novak@mailbox.example.\n\nKind regards,\nEva Novak",
            label: .needsReply,
            reason: "A formal data subject access request with a legal deadline.",
            nextAction: "open a privacy request and acknowledge",
            documents: ["kb-privacy-001"],
            tool: ToolSpec(
                call: ToolUse(
                    name: "open_privacy_request",
                    arguments: #"{"requester":"eva.novak@mailbox.example","type":"access"}"#,
                    result: #"{"due_date":"2025-07-10","request_id":"DSR-2291"}"#),
                wrongArguments: #"{"requester":"eva.novak@mailbox.example","type":"deletion"}"#),
            reply: "Dear Eva,\n\nThank you for your request. We have logged it as DSR-2291 and will send you a copy of your "
                + "personal data, the purposes of processing and the recipients by 10 July at the latest. To protect your "
                + "data we may first ask you to confirm your identity from your account email.\n\nKind regards,\nSam"),
        Scenario(
            key: "spam",
            from: "Prize Center <winner@lucky-prizes.example>",
            subject: "Congratulations! You have won a $500 gift card",
            body: "Dear customer, you have been selected to receive a $500 gift card! Click the link below within 24 hours "
                + "and enter your card details to claim your prize. Offer valid while stocks last.",
            label: .fyi,
            reason: "Unsolicited prize offer asking for card details: spam.",
            nextAction: "ignore, no reply",
            documents: ["kb-mail-002"],
            tool: nil,
            reply: "Hi Sam,\n\nThis looks like a phishing email offering a gift card in exchange for card details. "
                + "Do not click the link. No reply is needed and I left it for the spam filter.\n\nYour assistant"),
    ]
}
