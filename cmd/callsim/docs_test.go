package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the repository's root, seen from this package.
const repoRoot = "../.."

// markdownFiles returns every .md file of the repository, relative to its
// root.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".md") {
			rel, _ := filepath.Rel(repoRoot, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(files, "README.md") || !slices.Contains(files, "docs/method.md") {
		t.Fatalf("found %q; want README.md and docs/method.md among them", files)
	}
	return files
}

// The repository stands alone: no document points at the engineers'
// ../shared directory or at the files kept there, and every relative link
// leads to a file of the repository.
func TestDocsStandAlone(t *testing.T) {
	outside := []string{"../shared", "DOMAIN.md", "milestones-lecture-zh.txt"}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, file := range markdownFiles(t) {
		data, err := os.ReadFile(filepath.Join(repoRoot, file))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, o := range outside {
			if i := strings.Index(text, o); i >= 0 {
				t.Errorf("%s:%d refers to %q, which is not part of the repository: link into docs/ instead",
					file, strings.Count(text[:i], "\n")+1, o)
			}
		}
		for _, m := range link.FindAllStringSubmatchIndex(text, -1) {
			target := text[m[2]:m[3]]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			path := filepath.Join(repoRoot, filepath.Dir(file), target)
			rel, err := filepath.Rel(repoRoot, path)
			if _, serr := os.Stat(path); err != nil || strings.HasPrefix(rel, "..") || serr != nil {
				t.Errorf("%s:%d links to %q, which is not a file of the repository", file, strings.Count(text[:m[0]], "\n")+1, target)
			}
		}
	}
}

// staleIDs are persona ids a document may mention although no persona has
// them (none today).
var staleIDs = map[string][]string{}

// Every persona id the README and the docs mention is one callsim ships,
// so that each example can be run as written.
func TestDocsPersonaIDs(t *testing.T) {
	personas, scenarios := shippedIDs(t)
	// The id prefixes of the shipped personas ("st", "crm", "ow") find ids
	// in running text; the other patterns find them where only an id fits.
	var prefixes []string
	for _, id := range personas {
		p, _, _ := strings.Cut(id, "-")
		if !slices.Contains(prefixes, p) {
			prefixes = append(prefixes, p)
		}
	}
	prefixed := regexp.MustCompile(`(?:^|[^\w-])((?:` + strings.Join(prefixes, "|") + `)-[a-z0-9]+(?:-[a-z0-9]+)*)`)
	contexts := []*regexp.Regexp{
		regexp.MustCompile(`--persona[ =]([a-z0-9][\w.-]*)`),
		regexp.MustCompile(`"persona(?:_id)?":\s*"([^"]+)"`),
		regexp.MustCompile(`\{"id":\s*"([^"]+)",\s*"scenario"`),
		regexp.MustCompile("(?:^|[\\s(`])personas/([a-z0-9][\\w-]*)\\.yaml"),
	}
	files := []string{"README.md", "personas/README.md"}
	docs, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	for _, d := range docs {
		rel, _ := filepath.Rel(repoRoot, d)
		files = append(files, filepath.ToSlash(rel))
	}
	for _, file := range files {
		data, err := os.ReadFile(filepath.Join(repoRoot, file))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		reported := map[int]bool{}
		check := func(id string, scenarioToo bool, at int) {
			if slices.Contains(personas, id) || scenarioToo && slices.Contains(scenarios, id) || slices.Contains(staleIDs[file], id) || reported[at] {
				return
			}
			reported[at] = true
			t.Errorf("%s:%d mentions persona %q; the shipped ones are %s", file, strings.Count(text[:at], "\n")+1, id, strings.Join(personas, ", "))
		}
		for _, m := range prefixed.FindAllStringSubmatchIndex(text, -1) {
			check(text[m[2]:m[3]], true, m[2])
		}
		for _, re := range contexts {
			for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
				check(text[m[2]:m[3]], false, m[2])
			}
		}
	}
}

// shippedIDs reads the ids of personas/*.yaml and personas/scenarios/*.yaml.
func shippedIDs(t *testing.T) (personas, scenarios []string) {
	t.Helper()
	idLine := regexp.MustCompile(`(?m)^id:\s*(\S+)`)
	read := func(glob string) []string {
		files, _ := filepath.Glob(filepath.Join(repoRoot, glob))
		var ids []string
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m := idLine.FindSubmatch(data)
			if m == nil {
				t.Fatalf("%s has no id", f)
			}
			ids = append(ids, string(m[1]))
		}
		if len(ids) == 0 {
			t.Fatalf("no files %s", glob)
		}
		return ids
	}
	return read("personas/*.yaml"), read("personas/scenarios/*.yaml")
}
