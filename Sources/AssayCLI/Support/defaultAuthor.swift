import Foundation

/// The author used when none is given: $ASSAY_AUTHOR, else $USER, else "anonymous".
func defaultAuthor() -> String {
    let env = ProcessInfo.processInfo.environment
    for key in ["ASSAY_AUTHOR", "USER"] { if let v = env[key], !v.isEmpty, v.utf8.count <= 128 { return v } }
    return "anonymous"
}
