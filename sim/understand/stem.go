package understand

import (
	"strings"

	"github.com/kljensen/snowball/english"
)

// stemEN reduces an English word to its Snowball (Porter2) stem, so that
// "records", "recorded" and "recording" meet at "record". Stop words are
// kept: the acts depend on them ("you", "why", "not").
func stemEN(w string) string {
	if len(w) < 3 {
		return w
	}
	if strings.HasPrefix(w, "customer") {
		// Porter2 takes "customers" to "custom", the stem of "customize":
		// a customer is not a customisation.
		return "customer"
	}
	return english.Stem(w, false)
}

// stemmer stems English words through a table of the words the model was
// trained on (model.bin carries them), computed once at start, so the hot
// path rarely runs the Snowball algorithm. It is read-only after
// newStemmer: safe for concurrent use.
type stemmer struct {
	cache map[string]string
}

func newStemmer(words []string) *stemmer {
	s := &stemmer{cache: make(map[string]string, len(words))}
	for _, w := range words {
		s.cache[w] = stemEN(w)
	}
	return s
}

func (s *stemmer) stem(w string) string {
	if s != nil {
		if v, ok := s.cache[w]; ok {
			return v
		}
	}
	return stemEN(w)
}
