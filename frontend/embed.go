// Package frontend holds the browser interface: plain HTML, CSS and ES
// modules with no build step, embedded into the callsim binary.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed index.html styles.css *.js *.svg views/*.js
var files embed.FS

// FS returns the frontend's files, rooted at the directory that holds
// index.html.
func FS() fs.FS { return files }
