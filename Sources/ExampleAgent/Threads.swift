import AssayCore

// The email threads: the multi-turn scenarios of the example agent and the single source of truth of
// `Datasets/email-threads.jsonl` (regenerate it with `assay-example-agent --dump-scenarios >
// examples/agents/scenarios.json && python3 examples/agents/make_dataset.py` after editing this file).
// Each thread is a meeting being arranged: turn 1 drafts a reply accepting (or confirming) a time, a
// person approves, rejects or edits it, and later turns need that time, or the person, again.

extension Contact {
    /// The user the assistant works for.
    static let sam = Contact(name: "Sam Keller", address: "sam.keller@northwind.example")
}

extension ThreadScenario {
    /// Every thread, in a fixed order.
    static let all: [ThreadScenario] = [kickoff, renewal, addendum, workshop, onboarding, review]

    static let ana = Contact(name: "Ana Souza", address: "ana.souza@lumen-health.example")
    static let ben = Contact(name: "Ben Ortiz", address: "ben.ortiz@lumen-health.example")

    /// Three turns, every decision an approval: the time from turn 1 goes into the invite (turn 2) and
    /// into the answer to a colleague who joined the thread (turn 3).
    static let kickoff = ThreadScenario(
        key: "kickoff", contact: ana, subject: "Kickoff for the analytics rollout",
        turns: [
            ThreadTurn(
                instruction: "Draft a reply to Ana accepting Thursday at 10:00.",
                incoming: ThreadEmail(from: ana, to: [.sam], subject: "Kickoff for the analytics rollout",
                                      body: "Hi Sam,\n\nThe contract is signed, so let's plan the kickoff of the analytics rollout. Could we meet on "
                                          + "Tuesday at 15:00 or Thursday at 10:00? Our data lead Ben Ortiz will join us.\n\nBest,\nAna"),
                task: .reply(draft: "Hi {first},\n\nGreat news about the contract. Thursday at 10:00 works well for me, and I am glad Ben "
                             + "Ortiz can join us. I will bring the rollout plan and a first timeline for the dashboards. Looking forward "
                             + "to getting started.\n\nBest,\nSam"),
                decisions: [HumanDecision(kind: .approve)]),
            ThreadTurn(
                instruction: "Send the calendar invite for the kickoff.",
                incoming: ThreadEmail(from: ana, to: [.sam], subject: "Re: Kickoff for the analytics rollout",
                                      body: "Hi Sam,\n\nPerfect, see you then. Please send the invite to Ben as well, his address is "
                                          + "ben.ortiz@lumen-health.example.\n\nAna"),
                task: .invite(title: "Kickoff: analytics rollout"),
                decisions: [HumanDecision(kind: .approve)]),
            ThreadTurn(
                instruction: "Answer Ben's question.",
                incoming: ThreadEmail(from: ben, to: [.sam, ana], subject: "Re: Kickoff for the analytics rollout",
                                      body: "Hi Sam,\n\nThanks for the invite. Before I block my calendar: which day and time is the "
                                          + "kickoff, and should I prepare anything?\n\nBen"),
                task: .reply(draft: "Hi {first},\n\nThe kickoff is on {day} at {time}, and the invite is in your calendar. It would help "
                             + "if you could bring a list of the data sources you want in the first dashboards. See you there.\n\nBest,\nSam"),
                decisions: [HumanDecision(kind: .approve)]),
        ],
        settled: MeetingSlot(day: "Thursday", time: "10:00"),
        memory: [("Thursday", 1, 2), ("10:00", 1, 3)])

    static let dana = Contact(name: "Dana Whitfield", address: "dana.whitfield@acme-logistics.example")

    /// Sam edits the draft of turn 1 to another time: turn 2 must answer with the edited time, not
    /// the one the assistant drafted.
    static let renewal = ThreadScenario(
        key: "renewal", contact: dana, subject: "Renewal call before the 30th",
        turns: [
            ThreadTurn(
                instruction: "Draft a reply to Dana accepting Thursday at 14:00.",
                incoming: ThreadEmail(from: dana, to: [.sam], subject: "Renewal call before the 30th",
                                      body: "Hi Sam,\n\nOur analytics contract runs out on the 30th and procurement wants a decision soon. "
                                          + "Could we go over the renewal terms on Thursday at 14:00 or Friday at 10:30?\n\nThanks,\nDana"),
                task: .reply(draft: "Hi {first},\n\nThanks for the heads-up on the deadline. Thursday at 14:00 works for me. The call takes "
                             + "about 30 minutes and we will cover the renewal terms and the new dashboard seats. I will send the invite "
                             + "right away.\n\nBest,\nSam"),
                decisions: [HumanDecision(kind: .edit, text: "Hi Dana,\n\nThanks for the heads-up on the deadline. Friday at 10:30 suits me "
                                          + "better, if that still works for you. The call takes about 30 minutes and we will cover the renewal "
                                          + "terms and the new dashboard seats. I will send the invite right away.\n\nBest,\nSam")]),
            ThreadTurn(
                instruction: "Answer Dana.",
                incoming: ThreadEmail(from: dana, to: [.sam], subject: "Re: Renewal call before the 30th",
                                      body: "Hi Sam,\n\nFriday works. Could you remind me of the time, and who joins from your side?\n\nDana"),
                task: .reply(draft: "Hi {first},\n\nWe meet on {day} at {time}. From our side it is just me, and I will bring the renewal "
                             + "terms and the seat options.\n\nBest,\nSam"),
                decisions: [HumanDecision(kind: .approve)]),
        ],
        settled: MeetingSlot(day: "Friday", time: "10:30"),
        memory: [("10:30", 1, 2)])

    static let priya = Contact(name: "Priya Raman", address: "priya.raman@brightfield.example")

    /// Sam rejects the draft of turn 1; turn 2 asks for a new one without naming the person, who is
    /// known only from turn 1.
    static let addendum = ThreadScenario(
        key: "addendum", contact: priya, subject: "Signing the data processing addendum",
        turns: [
            ThreadTurn(
                instruction: "Draft a reply to Priya confirming Wednesday at 11:00.",
                incoming: ThreadEmail(from: priya, to: [.sam], subject: "Signing the data processing addendum",
                                      body: "Hello Sam,\n\nCould we sign the data processing addendum this week? I could do a short call on "
                                          + "Wednesday at 11:00 to walk through it.\n\nKind regards,\nPriya"),
                task: .reply(draft: "Hello {first},\n\nThank you for moving this forward. Wednesday at 11:00 works for me, and I will send "
                             + "the addendum ahead of the call. We can sign it together at the end.\n\nBest regards,\nSam"),
                decisions: [HumanDecision(kind: .reject, text: "Not yet: legal has to review the addendum first.")]),
            ThreadTurn(
                instruction: "Legal has approved the addendum. Write to her again and propose Monday at 09:30 instead.",
                incoming: nil,
                task: .reply(draft: "Hello {first},\n\nThank you for your patience. Our legal team has now approved the addendum. Could we "
                             + "do the call on {day} at {time} instead? I will send the signed copy ahead of it.\n\nBest regards,\nSam"),
                decisions: [HumanDecision(kind: .approve)]),
        ],
        settled: MeetingSlot(day: "Monday", time: "09:30"),
        memory: [("Priya", 1, 2)])

    static let jonas = Contact(name: "Jonas Lindqvist", address: "jonas@nordpeak.example")

    /// The invite of turn 2 needs the time of turn 1; in turn 3 Sam edits the answer, and the
    /// assistant should send the edit without asking again.
    static let workshop = ThreadScenario(
        key: "workshop", contact: jonas, subject: "Feedback workshop on the PowerPoint export",
        turns: [
            ThreadTurn(
                instruction: "Draft a reply to Jonas accepting Wednesday at 13:00.",
                incoming: ThreadEmail(from: jonas, to: [.sam], subject: "Feedback workshop on the PowerPoint export",
                                      body: "Hi Sam,\n\nOur sales team would love to try the PowerPoint export prototype. Could we hold a "
                                          + "feedback workshop on Monday at 09:00 or Wednesday at 13:00? Two of our analysts will join.\n\n"
                                          + "Cheers,\nJonas"),
                task: .reply(draft: "Hi {first},\n\nThanks for offering to test the prototype. Wednesday at 13:00 works for me. I will bring "
                             + "a build of the PowerPoint export and we can collect feedback from your analysts. Plan for about an "
                             + "hour.\n\nBest,\nSam"),
                decisions: [HumanDecision(kind: .approve)]),
            ThreadTurn(
                instruction: "Send the calendar invite for the workshop.",
                incoming: ThreadEmail(from: jonas, to: [.sam], subject: "Re: Feedback workshop on the PowerPoint export",
                                      body: "Great! The analysts are maja.berg@nordpeak.example and olle.nyberg@nordpeak.example, please "
                                          + "invite them too.\n\nJonas"),
                task: .invite(title: "Feedback workshop: PowerPoint export"),
                decisions: [HumanDecision(kind: .approve)]),
            ThreadTurn(
                instruction: "Jonas asks whether the workshop is remote. Answer him: it is, the video link is in the invite.",
                incoming: nil,
                task: .reply(draft: "Hi {first},\n\nThe workshop on {day} at {time} is remote; you will find the video link in the invite. "
                             + "See you then.\n\nBest,\nSam"),
                decisions: [HumanDecision(kind: .edit, text: "Hi Jonas,\n\nYes, the workshop is remote; you will find the video link in "
                                          + "the invite. Could you ask Maja and Olle to install the prototype beforehand? See you then.\n\n"
                                          + "Best,\nSam")]),
        ],
        settled: MeetingSlot(day: "Wednesday", time: "13:00"),
        memory: [("Wednesday", 1, 2), ("13:00", 1, 2)])

    static let tom = Contact(name: "Tom Becker", address: "tom.becker@harbor-foods.example")

    /// Two turns: the invite needs the time of turn 1, with no new email to read it from.
    static let onboarding = ThreadScenario(
        key: "onboarding", contact: tom, subject: "Onboarding session for the reporting workspace",
        turns: [
            ThreadTurn(
                instruction: "Draft a reply to Tom accepting Tuesday at 16:00.",
                incoming: ThreadEmail(from: tom, to: [.sam], subject: "Onboarding session for the reporting workspace",
                                      body: "Hi,\n\nNow that I can log in again, could you walk our finance team through the reporting "
                                          + "workspace? Tuesday at 16:00 or Friday at 09:30 would work on our side.\n\nThanks,\nTom"),
                task: .reply(draft: "Hi {first},\n\nGlad you are back in. Tuesday at 16:00 works for me. I will show your finance team the "
                             + "reporting workspace, the saved views and how to share a dashboard. Plan for about 45 minutes.\n\nBest,\nSam"),
                decisions: [HumanDecision(kind: .approve)]),
            ThreadTurn(
                instruction: "Send the calendar invite for the onboarding session.",
                incoming: nil,
                task: .invite(title: "Onboarding: reporting workspace"),
                decisions: [HumanDecision(kind: .approve)]),
        ],
        settled: MeetingSlot(day: "Tuesday", time: "16:00"),
        memory: [("Tuesday", 1, 2), ("16:00", 1, 2)])

    static let marco = Contact(name: "Marco Bianchi", address: "ops@veloce-retail.example")

    /// Sam rejects the invite of turn 2 (a phone call instead); turn 3 must still give the time of turn 1.
    static let review = ThreadScenario(
        key: "review", contact: marco, subject: "Review of the dashboard outage",
        turns: [
            ThreadTurn(
                instruction: "Draft a reply to Marco accepting Monday at 11:30.",
                incoming: ThreadEmail(from: marco, to: [.sam], subject: "Review of the dashboard outage",
                                      body: "Sam,\n\nNow that the dashboards are back, our CTO wants a review of the outage. Could we do it "
                                          + "on Monday at 11:30 or Tuesday at 14:00?\n\nMarco"),
                task: .reply(draft: "Hi {first},\n\nThank you for your patience during the outage. Monday at 11:30 works for me. Our "
                             + "incident lead will walk you through the timeline, the root cause and what we changed. I will send the "
                             + "written report the day before.\n\nSam"),
                decisions: [HumanDecision(kind: .approve)]),
            ThreadTurn(
                instruction: "Send the calendar invite for the review.",
                incoming: ThreadEmail(from: marco, to: [.sam], subject: "Re: Review of the dashboard outage",
                                      body: "Sam,\n\nGood. Please add our CTO, giulia.ferri@veloce-retail.example, to the invite.\n\nMarco"),
                task: .invite(title: "Outage review"),
                decisions: [HumanDecision(kind: .reject, text: "Hold the invite: Marco prefers a phone call.")]),
            ThreadTurn(
                instruction: "Tell Marco we will do it as a phone call, and remind him of the time.",
                incoming: nil,
                task: .reply(draft: "Hi {first},\n\nAs you prefer, we will do the review as a phone call on {day} at {time}. I will call "
                             + "you on the number in your signature. The written report follows the day before.\n\nSam"),
                decisions: [HumanDecision(kind: .approve)]),
        ],
        settled: MeetingSlot(day: "Monday", time: "11:30"),
        memory: [("Monday", 1, 3), ("11:30", 1, 3)])
}
