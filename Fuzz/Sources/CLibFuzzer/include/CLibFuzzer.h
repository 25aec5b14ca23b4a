// libFuzzer's driver, for fuzz targets written in Swift (docs/fuzzing.md).
#ifndef ASSAY_CLIBFUZZER_H
#define ASSAY_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line `argc`/`argv` and `test`, which is called once per input
/// (see llvm.org/docs/LibFuzzer.html, "Using LibFuzzer as a library"). Returns the exit status.
int assay_fuzz_run(int argc, char **argv, int (*test)(const uint8_t *data, size_t size));

#endif
