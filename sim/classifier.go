package sim

import "strings"

// Classifier turns trainee lines into acts. PLACEHOLDER: replaced by the
// real lexicon-based classifier.
type Classifier struct{}

// NewClassifier returns a ready classifier.
func NewClassifier() *Classifier { return &Classifier{} }

// Normalize lower-cases, simplifies Chinese and folds width and spaces.
func (c *Classifier) Normalize(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Mentions reports whether the normalised text contains any of the words.
func (c *Classifier) Mentions(norm string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(norm, c.Normalize(w)) {
			return true
		}
	}
	return false
}

// Classify analyses one trainee line. lang may be LangAuto.
func (c *Classifier) Classify(text string, lang Lang) Analysis {
	if lang != LangZH && lang != LangEN {
		lang = LangEN
	}
	return Analysis{Text: text, Lang: lang, Acts: []Act{ActOther}, Norm: c.Normalize(text), Units: 1}
}
