// Package understand is the customer's ear: it reads a trainee line and says
// what the line does (its acts, DOMAIN section 3, each with a confidence)
// and what it is about (amounts, dates, the concepts it mentions).
//
// Two readers are combined. The lexical reader (lexicon/*.lex, data files a
// linguist can edit) is precise where its patterns apply; a multi-label
// linear model over character and word n-grams (model.go, trained by
// `go generate` on testdata/train and embedded) carries phrasing nobody
// wrote a pattern for. Both are deterministic: the same line always gives
// the same analysis.
package understand

import (
	"github.com/callsim/callsim/sim"
)

// Ear implements sim.Understander. It is safe for concurrent use: its
// tables are built by New and only read afterwards.
type Ear struct {
	lex *lexReader
}

var _ sim.Understander = (*Ear)(nil)

// New builds an ear from the embedded lexicons, concepts and model.
func New() (*Ear, error) {
	return &Ear{lex: newLexReader()}, nil
}

// MustNew is New for tests and tools whose embedded data cannot be wrong.
func MustNew() *Ear {
	e, err := New()
	if err != nil {
		panic(err)
	}
	return e
}

// Understand analyses one trainee line.
func (e *Ear) Understand(text string, lang sim.Lang) sim.Analysis {
	return e.lex.Classify(text, lang)
}

// Mentions reports whether the analysed line speaks of any of terms.
func (e *Ear) Mentions(a sim.Analysis, terms []string) bool {
	return e.lex.Mentions(a.Norm, terms)
}
