package understand

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/callsim/callsim/sim"
)

// lexFS returns a file system whose lexicon directory holds files.
func lexFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[path.Join(lexiconDir, name)] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// TestEmbeddedLexicon loads every embedded file, one by one and as the
// reader New builds.
func TestEmbeddedLexicon(t *testing.T) {
	ents, err := fs.ReadDir(lexiconFiles, lexiconDir)
	if err != nil {
		t.Fatal(err)
	}
	var lexicons int
	for _, e := range ents {
		name := path.Join(lexiconDir, e.Name())
		data, err := fs.ReadFile(lexiconFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(name, ".lex"):
			lex, err := parseLexicon(name, data)
			if err != nil {
				t.Fatalf("parseLexicon(%s): %v", name, err)
			}
			lexicons++
			n := 0
			for _, e := range lex {
				n += len(e.pats)
			}
			t.Logf("%s: %d sections, %d pattern lines", name, len(lex), n)
		case strings.HasSuffix(name, ".tsv"):
			pairs, err := parseCanon(name, data)
			if err != nil {
				t.Fatalf("parseCanon(%s): %v", name, err)
			}
			t.Logf("%s: %d spellings", name, len(pairs))
		}
	}
	if lexicons == 0 {
		t.Fatal("no embedded *.lex file")
	}
	c, err := newLexReaderFrom(lexiconFiles)
	if err != nil {
		t.Fatalf("newLexReaderFrom(embedded): %v", err)
	}
	t.Logf("%d patterns, %d words, %d informal spellings", len(c.m.pats), len(c.m.ids), len(c.canon))
}

// TestFeatureNames checks that every feature has one name, and that the
// linguists' guide explains it.
func TestFeatureNames(t *testing.T) {
	readme, err := fs.ReadFile(lexiconFiles, path.Join(lexiconDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]feature{}
	for f := fNone + 1; f < numFeatures; f++ {
		name := featureNames[f]
		if name == "" {
			t.Errorf("feature %d has no name", f)
			continue
		}
		if g, ok := seen[name]; ok {
			t.Errorf("features %d and %d are both named %q", g, f, name)
		}
		seen[name] = f
		if got, ok := featureNamed(name); !ok || got != f {
			t.Errorf("featureNamed(%q) = %d, %v; want %d, true", name, got, ok, f)
		}
		if !strings.Contains(string(readme), "| `"+name+"` |") {
			t.Errorf("lexicon/README.md does not explain feature %q", name)
		}
	}
	if f, ok := featureNamed("none"); ok {
		t.Errorf(`featureNamed("none") = %d, true; want false`, f)
	}
}

// TestLexiconFiles builds readers from small lexicons and checks that they
// read what the files say.
func TestLexiconFiles(t *testing.T) {
	c, err := newLexReaderFrom(lexFS(map[string]string{
		"canon-t.tsv": "# spellings\nhowdee\thowdy\n",
		"t.lex": "\uFEFF# a test\r\n@who = partner|y'all|dear_friend\r\n" +
			"[greet]\r\nhowdy @who\r\n\r\n[price +money]\r\n<num> doubloons\r\n",
		"README.md": "not read",
	}))
	if err != nil {
		t.Fatalf("newLexReaderFrom: %v", err)
	}
	tests := []struct {
		text string
		want []sim.Act
	}{
		{"Howdee partner!", []sim.Act{sim.ActGreet}},
		{"howdy dear friend", []sim.Act{sim.ActGreet}},
		{"it is 300 doubloons", []sim.Act{sim.ActPrice}},
		{"howdy", []sim.Act{sim.ActOther}},
	}
	for _, tt := range tests {
		if got := c.Classify(tt.text, sim.LangEN).Acts; !slices.Equal(got, tt.want) {
			t.Errorf("Classify(%q).Acts = %v; want %v", tt.text, got, tt.want)
		}
	}
}

// TestLexiconErrors checks that a mistake in a lexicon file is reported at
// its file and line, with the reason.
func TestLexiconErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unknown feature", map[string]string{"t.lex": "# x\n[gret]\nhi\n"},
			`lexicon/t.lex:2: unknown feature "gret" (lexicon/README.md lists them)`},
		{"unknown second feature", map[string]string{"t.lex": "[greet +rapor]\nhi\n"},
			`lexicon/t.lex:1: unknown feature "rapor" (lexicon/README.md lists them)`},
		{"second feature without +", map[string]string{"t.lex": "[greet rapport]\nhi\n"},
			`lexicon/t.lex:1: section header [greet rapport]: want [feature] or [feature +feature]`},
		{"three features", map[string]string{"t.lex": "[greet +rapport +close]\nhi\n"},
			`lexicon/t.lex:1: section header [greet +rapport +close]: want [feature] or [feature +feature]`},
		{"unclosed header", map[string]string{"t.lex": "[greet\nhi\n"},
			`lexicon/t.lex:1: section header [greet: want [feature] or [feature +feature]`},
		{"feature twice", map[string]string{"t.lex": "[greet +greet]\nhi\n"},
			`lexicon/t.lex:1: section header [greet +greet] names greet twice`},
		{"empty section", map[string]string{"t.lex": "[greet]\n\n# nothing\n[close]\nbye\n"},
			`lexicon/t.lex:1: empty section [greet]: it has no pattern`},
		{"empty last section", map[string]string{"t.lex": "[greet]\nhi\n[greet +rapport]\n"},
			`lexicon/t.lex:3: empty section [greet +rapport]: it has no pattern`},
		{"no section", map[string]string{"t.lex": "# only comments\n"},
			`lexicon/t.lex:1: no [section]: a lexicon file holds at least one`},
		{"pattern before section", map[string]string{"t.lex": "hi\n[greet]\nhello\n"},
			`lexicon/t.lex:1: a pattern before the first [section]: which feature does it signal?`},
		{"undefined name", map[string]string{"t.lex": "[date]\nevery|each @days\n"},
			`lexicon/t.lex:2: undefined @days: define it above with @days = …`},
		{"name defined below", map[string]string{"t.lex": "[date]\nevery @days\n@days = monday\n"},
			`lexicon/t.lex:2: undefined @days: define it above with @days = …`},
		{"name defined twice", map[string]string{"t.lex": "@days = monday\n@days = tuesday\n[date]\n@days\n"},
			`lexicon/t.lex:2: @days is already defined at line 1`},
		{"bad name", map[string]string{"t.lex": "@Days = monday\n[date]\nmonday\n"},
			`lexicon/t.lex:1: bad name "@Days": want @ and lower-case letters, digits or -, as in @days`},
		{"name with spaces", map[string]string{"t.lex": "@days = monday | tuesday\n[date]\nmonday\n"},
			`lexicon/t.lex:1: @days: a named element is one element, alternatives separated by | without spaces (join words with _)`},
		{"@ inside a word", map[string]string{"t.lex": "[date]\nmy@days\n"},
			`lexicon/t.lex:2: "my@days": @ only starts the name of a named element, a whole alternative as in every|each @days`},
		{"gap first", map[string]string{"t.lex": "[greet]\nhi\n* there\n"},
			`lexicon/t.lex:3: a pattern must start with a word, not a gap`},
		{"gap last", map[string]string{"t.lex": "[greet]\nhi **\n"},
			`lexicon/t.lex:2: a gap at the end matches nothing: drop it, or end the pattern with $$`},
		{"anchor misplaced", map[string]string{"t.lex": "[greet]\nhi ^ there\n"},
			`lexicon/t.lex:2: ^ (start of a clause) must be the first element`},
		{"end anchor misplaced", map[string]string{"t.lex": "[greet]\nhi $$ there\n"},
			`lexicon/t.lex:2: $$ (end of a clause) must be the last element`},
		{"anchors only", map[string]string{"t.lex": "[greet]\n^ $$\n"},
			`lexicon/t.lex:2: a pattern needs a word`},
		{"old number syntax", map[string]string{"t.lex": "[date]\nat #\n"},
			`lexicon/t.lex:2: # starts a comment only at the start of a line; write <num> for any number`},
		{"number among alternatives", map[string]string{"t.lex": "[date]\nat <num>|noon\n"},
			`lexicon/t.lex:2: <num> must stand alone as an element, not be one of the alternatives in "<num>|noon"`},
		{"star inside a word", map[string]string{"t.lex": "[problem]\nfrus*trat\n"},
			`lexicon/t.lex:2: "frus*trat": * may only end a word, as in frustrat*`},
		{"prefix of a number", map[string]string{"t.lex": "[date]\nat 5*\n"},
			`lexicon/t.lex:2: "5*": only a word of letters can be a prefix`},
		{"empty alternative", map[string]string{"t.lex": "[greet]\nhi|\n"},
			`lexicon/t.lex:2: "hi|" has an empty alternative`},
		{"no word", map[string]string{"t.lex": "[greet]\nhi …\n"},
			`lexicon/t.lex:2: "…" has no word once normalised`},
		{"punctuation", map[string]string{"t.lex": "[greet]\nhow are you?\n"},
			`lexicon/t.lex:2: "you?" holds punctuation that ends a clause; a pattern never matches across it`},
		{"two patterns a line", map[string]string{"t.lex": "[greet]\nhi;hello\n"},
			`lexicon/t.lex:2: ';' is not allowed: write one pattern a line`},
		{"too many variants", map[string]string{"t.lex": "[greet]\n" + strings.Repeat("a_b|c_d|e_f|g_h|i_j|k_l|m_n|o_p ", 6) + "\n"},
			`lexicon/t.lex:2: expands to more than 32768 patterns (the first two elements, and any element with a multi-word alternative, multiply): split it into several lines`},
		{"not UTF-8", map[string]string{"t.lex": "[greet]\nhi\n\xff\n"},
			`lexicon/t.lex:3: not valid UTF-8`},
		{"second file", map[string]string{"a.lex": "[greet]\nhi\n", "b.lex": "[greet]\nhi\n[nope]\nx\n"},
			`lexicon/b.lex:3: unknown feature "nope" (lexicon/README.md lists them)`},
		{"unknown file", map[string]string{"t.lex": "[greet]\nhi\n", "t.lex.bak": "x"},
			`lexicon/t.lex.bak: unknown lexicon file: want *.lex, canon-*.tsv or README.md`},
		{"no lexicon", map[string]string{"canon-t.tsv": "u\tyou\n"},
			`lexicon: no lexicon: want at least one *.lex file`},
		{"canon without tab", map[string]string{"t.lex": "[greet]\nhi\n", "canon-t.tsv": "u\tyou\nthx thanks\n"},
			`lexicon/canon-t.tsv:2: want informal<TAB>canonical`},
		{"canon empty form", map[string]string{"t.lex": "[greet]\nhi\n", "canon-t.tsv": "u\t\n"},
			`lexicon/canon-t.tsv:1: want informal<TAB>canonical`},
		{"canon three columns", map[string]string{"t.lex": "[greet]\nhi\n", "canon-t.tsv": "u\tyou\tthee\n"},
			`lexicon/canon-t.tsv:1: want informal<TAB>canonical`},
		{"canon upper case", map[string]string{"t.lex": "[greet]\nhi\n", "canon-t.tsv": "# x\nThx\tthanks\n"},
			`lexicon/canon-t.tsv:2: informal spelling "Thx": want one lower-case word (letters, digits, inner ')`},
		{"canon two words", map[string]string{"t.lex": "[greet]\nhi\n", "canon-t.tsv": "thank u\tthanks\n"},
			`lexicon/canon-t.tsv:1: informal spelling "thank u": want one lower-case word (letters, digits, inner ')`},
		{"canon bad form", map[string]string{"t.lex": "[greet]\nhi\n", "canon-t.tsv": "whats\twhat  is\n"},
			`lexicon/canon-t.tsv:1: canonical form "what  is": want lower-case words separated by single spaces`},
		{"canon twice", map[string]string{"t.lex": "[greet]\nhi\n", "canon-t.tsv": "u\tyou\n\nu\tyou\n"},
			`lexicon/canon-t.tsv:3: "u" is already spelled out at lexicon/canon-t.tsv:1`},
		{"canon twice in two files", map[string]string{"t.lex": "[greet]\nhi\n", "canon-a.tsv": "u\tyou\n", "canon-b.tsv": "y\twhy\nu\tyou\n"},
			`lexicon/canon-b.tsv:2: "u" is already spelled out at lexicon/canon-a.tsv:1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newLexReaderFrom(lexFS(tt.files))
			if err == nil || err.Error() != tt.want {
				t.Errorf("newLexReaderFrom(%q) = %v; want %s", tt.files, err, tt.want)
			}
		})
	}
}

// errAt matches the position an error names.
var errAt = regexp.MustCompile(`^([^:]+):(\d+): .`)

// checkErrorAt fails unless err names the file name and a line of data.
func checkErrorAt(t *testing.T, err error, name, data string) {
	t.Helper()
	m := errAt.FindStringSubmatch(err.Error())
	if m == nil || m[1] != name {
		t.Fatalf("error %q does not name %s:LINE", err, name)
	}
	if n, _ := strconv.Atoi(m[2]); n < 1 || n > strings.Count(data, "\n")+1 {
		t.Fatalf("error %q names line %d of a file of %d lines", err, n, strings.Count(data, "\n")+1)
	}
}

// FuzzParseLexicon feeds the lexicon and canon parsers, and the pattern
// compiler, text a coach might write: they must not panic, an error must
// name the file and a line of it, and what they accept must compile to
// patterns the matcher can use.
func FuzzParseLexicon(f *testing.F) {
	for _, name := range []string{"en.lex", "zh.lex", "canon-en.tsv"} {
		data, err := fs.ReadFile(lexiconFiles, path.Join(lexiconDir, name))
		if err != nil {
			f.Fatal(err)
		}
		// whole files are slow to mutate: seed with their first sections
		lines := strings.SplitAfter(string(data), "\n")
		f.Add(strings.Join(lines[:min(len(lines), 60)], ""))
	}
	for _, s := range []string{
		"", "\n", "[greet]", "[greet]\nhi\n", "[greet +rapport]\nlong time no see|talk\n",
		"@d = a|b\n[date]\nevery @d\n^ @d then $$\n", "[date]\n<num> am|pm\nat <num>\n",
		"[problem]\nfrustrat*\nbreak* down\nwhat * using|use\nif ** keep\n", "[price]\n$\n% off\n",
		"[block]\n一点\n每|每个 周一\n", "[greet]\nhi ^\n", "[x]\n", "u\tyou\nwhats\twhat is\n",
		"@a = @a\n", "@a = x|@a\n", "[greet]\n@\n", "[greet]\n_\n", "[greet]\na|_|b\n", "[greet]\n** $$\n",
	} {
		f.Add(s)
	}
	base := newLexReader()
	f.Fuzz(func(t *testing.T, data string) {
		const name = "fuzz.lex"
		lex, err := parseLexicon(name, []byte(data))
		if err != nil {
			checkErrorAt(t, err, name, data)
		} else {
			m := newMatcher()
			if err := base.compileLexicon(&m, name, lex); err != nil {
				checkErrorAt(t, err, name, data)
			} else {
				for _, e := range lex {
					if len(e.pats) == 0 || e.feats[0] == fNone {
						t.Fatalf("section at line %d: %d patterns, features %v", e.line, len(e.pats), e.feats)
					}
				}
				for _, p := range m.pats {
					if len(p.toks) == 0 || p.toks[0].gap > 0 || p.feats[0] == fNone {
						t.Fatalf("compiled pattern %+v cannot be matched", p)
					}
				}
			}
		}
		if _, err := parseCanon("fuzz.tsv", []byte(data)); err != nil {
			checkErrorAt(t, err, "fuzz.tsv", data)
		}
	})
}
