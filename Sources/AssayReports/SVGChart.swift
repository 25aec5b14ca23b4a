/// Small helpers for the report's inline SVG charts: a linear scale, numbers as coordinates, a palette.
struct SVGScale {
    var domain: (Double, Double)
    var range: (Double, Double)

    /// The coordinate of a value.
    func callAsFunction(_ value: Double) -> Double {
        let span = domain.1 - domain.0
        let t = span == 0 ? 0.5 : (value - domain.0) / span
        return range.0 + t * (range.1 - range.0)
    }
}

enum SVGChart {
    /// Tier colours, chosen to stay apart for common colour-vision deficiencies; shapes differ too.
    static let palette = ["#0969da", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#57606a"]

    /// A coordinate with one decimal, locale-free.
    static func n(_ value: Double) -> String { ReportFormat.fixed(value, 1) }

    /// A label cut to `max` characters with an ellipsis, escaped.
    static func label(_ text: String, max: Int = 14) -> String {
        esc(text.count > max ? String(text.prefix(max - 1)) + "…" : text)
    }

    /// A marker of tier `index`: a circle, square, triangle or diamond, in the tier's colour.
    static func marker(_ index: Int, x: Double, y: Double, size: Double = 4) -> String {
        let colour = palette[index % palette.count]
        switch index % 4 {
        case 0: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(size))\" fill=\"\(colour)\"/>"
        case 1: return "<rect x=\"\(n(x - size))\" y=\"\(n(y - size))\" width=\"\(n(2 * size))\" height=\"\(n(2 * size))\" fill=\"\(colour)\"/>"
        case 2: return "<path d=\"M\(n(x)) \(n(y - size - 1))L\(n(x + size + 1)) \(n(y + size))L\(n(x - size - 1)) \(n(y + size))Z\" fill=\"\(colour)\"/>"
        default: return "<path d=\"M\(n(x)) \(n(y - size - 1))L\(n(x + size + 1)) \(n(y))L\(n(x)) \(n(y + size + 1))L\(n(x - size - 1)) \(n(y))Z\" fill=\"\(colour)\"/>"
        }
    }

    /// Horizontal grid lines and labels for a value axis.
    static func yAxis(_ scale: SVGScale, ticks: [Double], left: Double, right: Double, decimals: Int) -> String {
        ticks.map { t in
            let y = scale(t)
            return "<line x1=\"\(n(left))\" x2=\"\(n(right))\" y1=\"\(n(y))\" y2=\"\(n(y))\" stroke=\"#d0d7de\"/>"
                + "<text x=\"\(n(left - 4))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(ReportFormat.fixed(t, decimals))</text>"
        }.joined()
    }

    /// Evenly spaced ticks over a domain.
    static func ticks(_ low: Double, _ high: Double, count: Int = 4) -> [Double] {
        (0...count).map { low + (high - low) * Double($0) / Double(count) }
    }

    /// The opening of an accessible chart: `role="img"`, labelled by its title and described by `desc`.
    static func open(id: String, width: Int, height: Int, title: String, desc: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"\(id)\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\">"
            + "<title id=\"\(id)-t\">\(esc(title))</title><desc id=\"\(id)-d\">\(esc(desc))</desc>"
    }
}
