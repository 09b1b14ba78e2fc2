package personas_test

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsim/callsim/personas"
)

// TestFSHoldsEveryFile catches a file in this folder that would silently
// not ship, such as a persona saved as .yml or in a subfolder.
func TestFSHoldsEveryFile(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir // test fixtures, never shipped (go tool convention)
		}
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".go") {
			return err
		}
		if _, err := fs.Stat(personas.FS(), filepath.ToSlash(path)); err != nil {
			t.Errorf("%s is in personas/ but not embedded: name it <id>.yaml or scenarios/<id>.yaml", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"README.md", "scenarios/sales-training.yaml"} {
		if _, err := fs.Stat(personas.FS(), want); err != nil {
			t.Errorf("FS() has no %s: %v", want, err)
		}
	}
}
