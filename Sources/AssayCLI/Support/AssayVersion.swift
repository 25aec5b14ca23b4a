/// The version printed by `assay --version` and recorded in runs.
enum AssayVersion {
    static let current = "0.1.0"
}
