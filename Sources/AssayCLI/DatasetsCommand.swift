import ArgumentParser

/// `assay datasets`: list, show, validate, diff, split and export the datasets in Datasets/.
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "List, show, validate, compare, split and export the eval sets in Datasets/.",
        discussion: """
            A dataset is Datasets/NAME.jsonl: one example per line (docs/datasets.md). Its version is \
            a hash of its content; runs record it.

            Examples:
              assay datasets list
              assay datasets validate Datasets/support.jsonl
              assay datasets split support --test 0.2 --seed 7
            """,
        subcommands: [DatasetsListCommand.self, DatasetsShowCommand.self, DatasetsValidateCommand.self,
                      DatasetsDiffCommand.self, DatasetsSplitCommand.self, DatasetsExportCommand.self]
    )
}
