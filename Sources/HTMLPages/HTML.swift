/// Escapes text for HTML element content and attribute values: every string that comes from input
/// (participant IDs, label names, file names, CSV values) goes through this before it reaches a page.
public func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

/// The shared frame of IMATKit's pages: one self-contained HTML file, styles inline, no scripts.
public func htmlPage(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escapeHTML(title))</title>
    <style>
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px auto; max-width: 1100px; color: #1d2430; padding: 0 16px; }
    h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d8dde6; padding-bottom: 4px; }
    .sub { color: #5a6475; margin: 0 0 16px; }
    table { border-collapse: collapse; margin: 8px 0; } th, td { padding: 4px 10px; text-align: right; border-bottom: 1px solid #e6e9ef; }
    th:first-child, td:first-child { text-align: left; } th { background: #f3f5f8; font-weight: 600; }
    tr.total td { font-weight: 600; border-top: 2px solid #b9c1cf; }
    .warn { background: #fff4e0; border-left: 4px solid #e69500; padding: 6px 10px; margin: 4px 0; }
    .ok { color: #2a7a3b; }
    .grid { display: flex; flex-wrap: wrap; gap: 14px; } figure { margin: 0; } figcaption { color: #5a6475; font-size: 12px; text-align: center; }
    .legend span { display: inline-block; margin-right: 14px; } .swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 4px; border-radius: 2px; }
    dl.settings { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 6px 0; } dl.settings dt { color: #5a6475; } dl.settings dd { margin: 0; }
    </style>
    </head>
    <body>
    \(body)
    </body>
    </html>

    """
}
