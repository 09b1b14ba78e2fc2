// Package personas holds the scenarios and simulated customers callsim
// ships with, as YAML files embedded in the binary. README.md beside this
// file is the coach's guide to writing them; package sim/yaml loads them.
package personas

import (
	"embed"
	"io/fs"
)

// files is written only by the compiler (go:embed); FS hands it out as a
// read-only fs.FS.
//
//go:embed scenarios/*.yaml *.yaml README.md schema/*.json
var files embed.FS

// FS returns the shipped files: scenarios/<scenario-id>.yaml,
// <persona-id>.yaml and README.md.
func FS() fs.FS { return files }
