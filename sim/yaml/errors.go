package yaml

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/callsim/callsim/sim"
)

// The YAML parser's messages, which carry a line but no field path.
var (
	reLine      = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	reUnknown   = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	reSetTwice  = regexp.MustCompile(`^field (\S+) already set in type \S+$`)
	reDuplicate = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
	reType      = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
)

// syntaxError turns a parser error into a FieldError without a field.
func syntaxError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := reLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	return &sim.FieldError{File: name, Reason: "invalid YAML: " + msg, Line: line}
}

// typeError turns a decoding error into a FieldError naming the field that
// the parser's line points at.
func typeError(name string, root *yamlv3.Node, err error) error {
	var te *yamlv3.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return syntaxError(name, err)
	}
	m := reLine.FindStringSubmatch(te.Errors[0])
	if m == nil {
		return &sim.FieldError{File: name, Reason: te.Errors[0]}
	}
	line, _ := strconv.Atoi(m[1])
	msg := m[2]
	entries := walk(root)
	fe := &sim.FieldError{File: name, Reason: msg, Line: line}
	if k := reUnknown.FindStringSubmatch(msg); k != nil {
		fe.Field = keyAt(entries, line, k[1])
		fe.Reason = "unknown field"
	} else if k := reSetTwice.FindStringSubmatch(msg); k != nil {
		fe.Field = keyAt(entries, line, k[1])
		fe.Reason = "is set twice"
	} else if k := reDuplicate.FindStringSubmatch(msg); k != nil {
		fe.Field = keyAt(entries, line, k[1])
		fe.Reason = "is given twice, first at line " + k[2]
	} else if k := reType.FindStringSubmatch(msg); k != nil {
		e := valueAt(entries, line, k[1])
		fe.Field = e.path
		got := tagWords[k[1]]
		if got == "" {
			got = "!!" + k[1]
		}
		// The parser cuts the value at a byte count; quote the node's own.
		switch {
		case e.val != nil && e.val.Kind == yamlv3.ScalarNode:
			got += " " + strconv.Quote(shorten(e.val.Value, 30))
		case k[2] != "":
			got += " " + strconv.Quote(strings.ToValidUTF8(k[2], ""))
		}
		want := typeWords[k[3]]
		switch {
		case want != "":
		case strings.HasPrefix(k[3], "[]"):
			want = "a list"
		case strings.HasPrefix(k[3], "map["):
			want = "a mapping (key: value)"
		default:
			want = k[3]
		}
		fe.Reason = fmt.Sprintf("must be %s, not %s", want, got)
	} else {
		fe.Field = valueAt(entries, line, "").path
	}
	return fe
}

// shorten cuts s to at most n runes.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// tagWords says YAML tags in a coach's words.
var tagWords = map[string]string{
	"str": "text", "int": "a number", "float": "a number", "bool": "true/false",
	"seq": "a list", "map": "a mapping", "null": "empty", "timestamp": "a date",
}

// typeWords says the schema's Go types in a coach's words.
var typeWords = map[string]string{
	"float64": "a number", "int": "a whole number", "bool": "true or false",
	"string": "text", "sim.Lang": "a language (zh or en)", "sim.Urgency": "low, medium or high",
	"sim.Act": "an act id", "sim.ObjectionPhase": "offer or deal", "sim.Situation": "a situation id",
	"sim.Milestone":      "a milestone id",
	"sim.Text":           "a mapping of languages to text (zh: …, en: …)",
	"sim.Lines":          "a mapping of languages to lists of lines (zh: [ … ], en: [ … ])",
	"sim.Words":          "a mapping of languages to lists of words (zh: [ … ], en: [ … ])",
	"sim.Profile":        "a mapping (name, role, company, summary)",
	"sim.Hidden":         "a mapping (urgency, motive, budget, …)",
	"sim.Objection":      "a mapping (id, kind, at, resolved_by, …)",
	"sim.MilestoneLabel": "a mapping (label, steps)",
	"sim.Scenario":       "a mapping of scenario fields",
	"sim.Persona":        "a mapping of persona fields",
}

// entry is one field of a YAML tree: a mapping value or a list item.
type entry struct {
	path  string
	depth int
	key   *yamlv3.Node // nil for list items
	val   *yamlv3.Node
}

// walk lists every field of the tree under root, parents first.
func walk(root *yamlv3.Node) []entry {
	var out []entry
	var rec func(n *yamlv3.Node, p string, depth int)
	rec = func(n *yamlv3.Node, p string, depth int) {
		switch n.Kind {
		case yamlv3.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				cp := k.Value
				if p != "" {
					cp = p + "." + k.Value
				}
				out = append(out, entry{path: cp, depth: depth + 1, key: k, val: v})
				rec(v, cp, depth+1)
			}
		case yamlv3.SequenceNode:
			for i, v := range n.Content {
				cp := fmt.Sprintf("%s[%d]", p, i)
				out = append(out, entry{path: cp, depth: depth + 1, val: v})
				rec(v, cp, depth+1)
			}
		}
		// Aliases are not followed: their target is listed where it is defined.
	}
	if root != nil {
		rec(root, "", 0)
	}
	return out
}

// keyAt returns the path of the mapping key named name on line.
func keyAt(entries []entry, line int, name string) string {
	for _, e := range entries {
		if e.key != nil && e.key.Line == line && e.key.Value == name {
			return e.path
		}
	}
	return valueAt(entries, line, "").path
}

// valueAt returns the deepest field whose value starts on line and, when
// tag is given, has that YAML kind; the zero entry when there is none.
func valueAt(entries []entry, line int, tag string) entry {
	var best entry
	depth := -1
	for _, e := range entries {
		if e.val.Line != line || e.depth <= depth {
			continue
		}
		if tag != "" && !kindMatches(e.val, tag) {
			continue
		}
		best, depth = e, e.depth
	}
	if depth < 0 && tag != "" {
		return valueAt(entries, line, "")
	}
	return best
}

func kindMatches(n *yamlv3.Node, tag string) bool {
	switch tag {
	case "seq":
		return n.Kind == yamlv3.SequenceNode
	case "map":
		return n.Kind == yamlv3.MappingNode
	}
	return n.Kind == yamlv3.ScalarNode || n.Kind == yamlv3.AliasNode
}

// withLine sets the line of a FieldError from the file's YAML tree when the
// error does not have one yet.
func withLine(err error, trees map[string]*yamlv3.Node) error {
	var fe *sim.FieldError
	if errors.As(err, &fe) && fe.Line == 0 && fe.Field != "" {
		fe.Line = lineOf(trees[fe.File], fe.Field)
	}
	return err
}

// lineOf returns the line of the field at path (hidden.urgency,
// objections[1].at, lines.motive.zh[0]), or of its nearest parent present
// in the file; 0 when not even the top-level field is there.
func lineOf(root *yamlv3.Node, path string) int {
	if root == nil {
		return 0
	}
	n, line := root, 0
	for _, seg := range splitPath(path) {
		switch {
		case n.Kind == yamlv3.MappingNode && !seg.index:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg.key {
					line, n, found = n.Content[i].Line, n.Content[i+1], true
					break
				}
			}
			if !found {
				return line
			}
		case n.Kind == yamlv3.SequenceNode && seg.index && seg.i < len(n.Content):
			n = n.Content[seg.i]
			line = n.Line
		default:
			return line
		}
	}
	return line
}

type segment struct {
	key   string
	index bool
	i     int
}

// splitPath splits "objections[1].lines.zh" into its keys and indexes.
func splitPath(path string) []segment {
	var segs []segment
	for part := range strings.SplitSeq(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			segs = append(segs, segment{key: key})
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			if !ok {
				break
			}
			i, err := strconv.Atoi(num)
			if err != nil {
				break
			}
			segs = append(segs, segment{index: true, i: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return segs
}
