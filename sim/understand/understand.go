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
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

//go:generate go run ./internal/train -corpus testdata/train -o model.bin

//go:embed model.bin
var modelFile []byte

//go:embed concepts/concepts.txt
var conceptsFile []byte

// How the model's probabilities become acts. An act is kept at
// actThreshold, pressure (which costs the trainee dearly) only at
// pressureThreshold unless the lexical reader found it too; a line with no
// act that high keeps its most likely act from guessThreshold on, and
// below that the ear is unsure. So is it when fewer than minCoverage of
// the line's words are known to the model and the lexical reader found no
// act: the model would be guessing. A line of at most fillerUnits words
// ("ok", "嗯嗯") is never unsure: it is filler.
const (
	actThreshold      = 0.35
	pressureThreshold = 0.7
	guessThreshold    = 0.05
	minCoverage       = 0.3
	fillerUnits       = 3
)

// thresholds are the numbers above, in one place for the ear to read.
type thresholds struct {
	act, pressure, guess, coverage float64
	otherWins                      bool // other beats the acts when it is the most likely
	rulesFirst                     bool // with no act likely enough, the lexical reader's acts before a guess
	pieces                         bool // read every sentence of a line of several on its own too
	// questionsPresent: a line of several sentences that are all questions
	// presents (pitch, handle_objection) only if one of its sentences does.
	questionsPresent bool
	// piecePressure: a sentence of a line that pushes, on its own, with
	// the pressure threshold, makes the line push.
	piecePressure bool
	// answerOverPitch: a line read both as answering a concern and as a
	// presentation, more likely the answer, is the answer alone.
	answerOverPitch bool
	// askNotPresent: a question sentence of a line of several, read on
	// its own, adds no presentation (pitch, handle_objection) to the line.
	askNotPresent bool
	// piecesPresent: a sentence of a line of several, read on its own,
	// may add a presentation (pitch, handle_objection) to the line.
	piecesPresent bool
	// askNotPush: a question the model is sure asks about the customer
	// (a discovery act at askSure) pushes only if the model is as sure of
	// the pressure, or the lexical reader sees it: "is anything bothering
	// you, like waiting for delivery?" asks, it does not threaten.
	askNotPush bool
	// rulesTie: with no act likely, the lexical reader's act the model
	// finds nearly as likely as its best guess wins over that guess.
	rulesTie bool
	// askOverPresent: a line that ends in a question, read as presenting
	// (pitch, handle_objection) where the lexical reader sees only a
	// discovery question that the model finds nearly as likely, asks.
	askOverPresent bool
}

// ruleTieShare is how close to the model's best guess a lexical act's
// probability must come for rulesTie; askOverShare, how close to the
// presentation's a discovery act's must come for askOverPresent.
const (
	ruleTieShare = 0.75
	askOverShare = 0.5
)

// askSure is how sure the model must be of a discovery act for askNotPush;
// guessPressure, of pushing, for a statement with no act likely enough to
// be guessed to push.
const (
	askSure       = 0.9
	guessPressure = 0.5
)

var defaultThresholds = thresholds{act: actThreshold, pressure: pressureThreshold, guess: guessThreshold, coverage: minCoverage, otherWins: true, pieces: true, questionsPresent: true, askNotPresent: true, piecesPresent: false, askNotPush: true, rulesTie: true, askOverPresent: true}

// Ear implements sim.Understander. It is safe for concurrent use: its
// tables are built by New and only read afterwards.
type Ear struct {
	th       thresholds
	lex      *lexReader
	model    *model // nil: the lexical reader alone
	concepts *concepts
	stem     *stemmer
}

var _ sim.Understander = (*Ear)(nil)

// New builds an ear from the embedded lexicons, concepts and model.
func New() (*Ear, error) {
	m, err := loadModel(modelFile)
	if err != nil {
		return nil, fmt.Errorf("understand: %w", err)
	}
	lex, err := newLexReaderFrom(lexiconFiles)
	if err != nil {
		return nil, fmt.Errorf("understand: %w", err)
	}
	var vocab []string
	if m != nil {
		vocab = m.vocab
	}
	st := newStemmer(vocab)
	cs, err := parseConcepts(lex, st, "concepts/concepts.txt", conceptsFile)
	if err != nil {
		return nil, fmt.Errorf("understand: %w", err)
	}
	return &Ear{th: defaultThresholds, lex: lex, model: m, concepts: cs, stem: st}, nil
}

// MustNew is New for tests and tools whose embedded data cannot be wrong.
func MustNew() *Ear {
	e, err := New()
	if err != nil {
		panic(err)
	}
	return e
}

// Understand analyses one trainee line: the lexical reader finds the cues,
// amounts and its own acts; the model, which sees those acts among its
// features, decides the acts.
func (e *Ear) Understand(text string, lang sim.Lang) sim.Analysis {
	a := e.lex.Classify(text, lang)
	a.Stems = e.lex.stems(e.stem, a.Norm)
	a.Concepts, a.Topic = e.concepts.of(a.Norm, a.Stems)
	if e.model == nil {
		a.Confidence = 1
		return a
	}
	rules := a.Acts
	p, cov := e.probs(a, rules)
	if a.Units > fillerUnits && (len(rules) == 0 || rules[0] == sim.ActOther) && cov < e.th.coverage {
		// Hardly a word of it is known to the model and no pattern applies:
		// anything the model said would be a guess.
		a.Acts, a.Confidence, a.Unsure = []sim.Act{sim.ActOther}, 0, true
		return a
	}
	acts, conf := e.likely(p, rules)
	if e.th.askOverPresent && a.Question && endsAsking(a.Norm) {
		acts = e.askOverPresent(acts, p, rules)
	}
	if e.th.answerOverPitch && slices.Contains(acts, sim.ActHandleObjection) && slices.Contains(acts, sim.ActPitch) {
		if ho, pi := p[slices.Index(e.model.acts, sim.ActHandleObjection)], p[slices.Index(e.model.acts, sim.ActPitch)]; ho > pi {
			acts = slices.DeleteFunc(acts, func(x sim.Act) bool { return x == sim.ActPitch })
		}
	}
	if e.th.pieces && len(splitPieces(a.Norm, true)) > 1 || len(acts) == 0 {
		// A line of several sentences spreads the model thin over all of
		// them, and a line with no likely act may still have a clear
		// clause: read its sentences (or clauses) one by one too.
		pacts, pconf, questions := e.byPiece(a, len(acts) == 0)
		if questions && e.th.questionsPresent {
			acts = slices.DeleteFunc(acts, func(x sim.Act) bool {
				return (x == sim.ActPitch || x == sim.ActHandleObjection) && !slices.Contains(pacts, x)
			})
		}
		for _, x := range pacts {
			if !slices.Contains(acts, x) {
				acts = append(acts, x)
				conf = min(conf, pconf)
			}
		}
		sortActs(acts)
	}
	if len(acts) > 0 {
		a.Acts, a.Confidence = acts, conf
		e.motiveCues(&a)
		e.priceAmount(&a)
		return a
	}
	a.Acts, a.Confidence, a.Unsure = e.guess(p, rules, a.Question)
	if a.Unsure && a.Units <= fillerUnits {
		a.Unsure = false
	}
	e.priceAmount(&a)
	return a
}

// priceAmount reads the amount of a line the model reads as talking
// price where the patterns saw no price words: "I can do 7,500 for the
// whole team" names the price in a bare number.
func (e *Ear) priceAmount(a *sim.Analysis) {
	if !a.HasAmount && slices.Contains(a.Acts, sim.ActPrice) {
		a.Amount, a.HasAmount = parseAmount(a.Norm, true)
	}
}

// motiveCues completes the lexical reader's why-now and implication cues
// for a line the model reads as a motive question: "Why is this a
// priority right now?" asks why now in any words.
func (e *Ear) motiveCues(a *sim.Analysis) {
	if !slices.Contains(a.Acts, sim.ActAskMotive) {
		return
	}
	if slices.Contains(a.Concepts, "cue.why_now") {
		a.Cues.WhyNow = true
	}
	if slices.Contains(a.Concepts, "cue.implication") {
		a.Cues.Implication = true
	}
}

// probs returns the model's probability of each act for an analysed line,
// and the share of its words the model knows.
func (e *Ear) probs(a sim.Analysis, rules []sim.Act) ([]float64, float64) {
	var fbuf [maxFeatures]uint32
	feats, from, to := e.lex.featurize(e.stem, fbuf[:0], a.Norm, a.Lang, rules)
	p := make([]float64, len(e.model.acts))
	e.model.probs(p, feats)
	return p, e.model.coverage(feats[from:to])
}

// likely returns the acts whose probability reaches their threshold, in
// the order of sim.Acts, with the probability of the least likely.
func (e *Ear) likely(p []float64, rules []sim.Act) ([]sim.Act, float64) {
	var acts []sim.Act
	conf := 1.0
	for k, a := range e.model.acts {
		if a == sim.ActOther {
			continue
		}
		th := e.th.act
		if a == sim.ActPressure && !slices.Contains(rules, a) {
			th = e.th.pressure
			if e.th.askNotPush && e.asksSurely(p) {
				th = askSure
			}
		}
		if p[k] >= th {
			acts = append(acts, a)
			conf = min(conf, p[k])
		}
	}
	return acts, conf
}

// askOverPresent replaces the presentation acts the rules do not see with
// the discovery act they do, when the model finds it nearly as likely.
func (e *Ear) askOverPresent(acts []sim.Act, p []float64, rules []sim.Act) []sim.Act {
	pres := -1.0
	for _, x := range acts {
		if (x == sim.ActPitch || x == sim.ActHandleObjection) && !slices.Contains(rules, x) {
			pres = max(pres, p[slices.Index(e.model.acts, x)])
		}
	}
	if pres < 0 || slices.ContainsFunc(acts, sim.Act.IsDiscovery) {
		return acts
	}
	ask := -1
	for _, x := range rules {
		if k := slices.Index(e.model.acts, x); k >= 0 && x.IsDiscovery() && p[k] >= askOverShare*pres && (ask < 0 || p[k] > p[ask]) {
			ask = k
		}
	}
	if ask < 0 {
		return acts
	}
	out := slices.DeleteFunc(slices.Clone(acts), func(x sim.Act) bool {
		return (x == sim.ActPitch || x == sim.ActHandleObjection) && !slices.Contains(rules, x)
	})
	out = append(out, e.model.acts[ask])
	sortActs(out)
	return out
}

// endsAsking reports whether a normalised line ends with a question mark.
func endsAsking(norm string) bool {
	s := strings.TrimRight(norm, " .。!！")
	return strings.HasSuffix(s, "?") || strings.HasSuffix(s, "？")
}

// asksSurely reports whether the model is sure, at askSure, that a line
// asks about the customer's situation, problem or motive.
func (e *Ear) asksSurely(p []float64) bool {
	for k, a := range e.model.acts {
		if a.IsDiscovery() && p[k] >= askSure {
			return true
		}
	}
	return false
}

// maxPieces bounds how many sentences and clauses of one line are read
// one by one.
const maxPieces = 6

// byPiece reads the sentences (with clauses, the clauses too) of a line
// on their own and returns the union of their likely acts, and whether
// every piece read is a question.
func (e *Ear) byPiece(a sim.Analysis, clauses bool) ([]sim.Act, float64, bool) {
	pieces := splitPieces(a.Norm, !clauses)
	if len(pieces) < 2 {
		return nil, 0, false
	}
	var acts []sim.Act
	conf := 1.0
	questions, read := true, 0
	for i, piece := range pieces {
		if i == maxPieces {
			break
		}
		pa := e.lex.Classify(piece, a.Lang)
		if pa.Units < 2 {
			continue
		}
		read++
		questions = questions && pa.Question
		p, _ := e.probs(pa, pa.Acts)
		got, c := e.likely(p, pa.Acts)
		last := i == len(pieces)-1 || i == maxPieces-1
		for _, x := range got {
			if (pa.Question && e.th.askNotPresent || !e.th.piecesPresent) && (x == sim.ActPitch || x == sim.ActHandleObjection) {
				continue
			}
			if !pieceAct(x, last) && !(x == sim.ActPressure && e.th.piecePressure && p[slices.Index(e.model.acts, sim.ActPressure)] >= e.th.pressure) {
				continue
			}
			if !slices.Contains(acts, x) {
				acts = append(acts, x)
			}
		}
		if len(got) > 0 {
			conf = min(conf, c)
		}
	}
	sortActs(acts)
	return acts, conf, questions && read >= 2
}

// pieceAct reports whether an act found in one sentence of a line counts
// for the line. What a sentence means depends on the rest for greetings,
// acknowledgements and pressure ("Thank you." opens a question as often as
// it closes a call), and a goodbye only ends a line.
func pieceAct(a sim.Act, last bool) bool {
	switch a {
	case sim.ActGreet, sim.ActRapport, sim.ActPressure, sim.ActOther:
		return false
	case sim.ActCloseCall:
		return last
	}
	return true
}

func sortActs(acts []sim.Act) {
	slices.SortFunc(acts, func(x, y sim.Act) int { return slices.Index(sim.Acts, x) - slices.Index(sim.Acts, y) })
}

// splitPieces cuts a normalised line after every sentence mark and, unless
// sentences, every clause mark.
func splitPieces(norm string, sentences bool) []string {
	var out []string
	start := 0
	for i, r := range norm {
		if r == '.' && i > 0 && isDigit(norm[i-1]) && i+1 < len(norm) && isDigit(norm[i+1]) {
			continue // 18.9升, 2.5 hours: a decimal point, not a full stop
		}
		if r == '-' && i > 0 && norm[i-1] == ' ' && i+1 < len(norm) && norm[i+1] == ' ' {
			// "we deliver to offices - can i ask how you get yours?": a
			// dash between spaces joins two sentences
			r = ';'
		}
		switch r {
		case ',', '，', '、':
			if sentences {
				continue
			}
			fallthrough
		case '.', '?', '!', ';', '。', '？', '！', '；':
			if s := strings.TrimSpace(norm[start:i]); s != "" {
				out = append(out, s)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if s := strings.TrimSpace(norm[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// guess decides a line for which no act is likely enough: `other` when
// the model is sure nothing applies, else its most likely act from the
// guess threshold on, else nothing understood (unsure).
func (e *Ear) guess(p []float64, rules []sim.Act, question bool) (acts []sim.Act, conf float64, unsure bool) {
	m := e.model
	best, other := -1, -1
	for k, a := range m.acts {
		switch {
		case a == sim.ActOther:
			other = k
		case a == sim.ActPressure && !slices.Contains(rules, a) && (question || p[k] < guessPressure):
			// Pushing is a guess only in a statement the model finds more
			// likely than not to push ("if somebody gets trapped, that's on
			// you"); a question it half suspects ("what would you need to
			// see to be sure?") is not pushing, unless the patterns say so.
		case best < 0 || p[k] > p[best]:
			best = k
		}
	}
	switch {
	case e.th.rulesFirst && len(rules) > 0 && rules[0] != sim.ActOther:
		// The patterns of the lexical reader are precise where they apply.
		acts = slices.Clone(rules)
		for _, a := range rules {
			if k := slices.Index(m.acts, a); k >= 0 {
				conf = max(conf, p[k])
			}
		}
	case e.th.otherWins && other >= 0 && p[other] >= 0.5 && (best < 0 || p[other] > p[best]):
		acts, conf = []sim.Act{sim.ActOther}, p[other]
	case best >= 0 && p[best] >= e.th.guess:
		acts, conf = []sim.Act{m.acts[best]}, p[best]
		if !e.th.rulesTie || slices.Contains(rules, m.acts[best]) {
			break
		}
		// "会不会出现一些问题？…这种情况多吗？": the model hesitates between
		// answering a concern and asking about a problem; the patterns see
		// the question.
		tie := -1
		for _, a := range rules {
			if k := slices.Index(m.acts, a); k >= 0 && a != sim.ActOther && p[k] >= ruleTieShare*p[best] && (tie < 0 || p[k] > p[tie]) {
				tie = k
			}
		}
		if tie >= 0 {
			acts, conf = []sim.Act{m.acts[tie]}, p[tie]
		}
	default:
		acts = []sim.Act{sim.ActOther}
		if other >= 0 {
			conf = p[other]
		}
		unsure = conf < e.th.act
	}
	sortActs(acts)
	return acts, conf, unsure
}

// Mentions reports whether the analysed line speaks of any of terms.
func (e *Ear) Mentions(a sim.Analysis, terms []string) bool {
	return e.mentions(a, terms)
}
