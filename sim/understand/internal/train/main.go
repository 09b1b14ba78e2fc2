// Command train trains sim/understand's act model on the labelled corpora
// and writes the model file that the package embeds. Run it through
// `go generate ./sim/understand`; TestModelUpToDate fails when the
// committed model.bin is not what the corpora and the code train.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/callsim/callsim/sim/understand"
)

func main() {
	corpus := flag.String("corpus", "testdata/train", "folder of en-*.tsv and zh-*.tsv corpora")
	out := flag.String("o", "model.bin", "model file to write")
	flag.Parse()
	if err := run(*corpus, *out); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(corpus, out string) error {
	ex, err := understand.ReadCorpora(os.DirFS(corpus))
	if err != nil {
		return err
	}
	b, err := understand.TrainModel(ex)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	fmt.Printf("train: %d lines, %d bytes to %s\n", len(ex), len(b), out)
	return nil
}
