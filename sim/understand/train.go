package understand

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"path"
	"slices"
	"strings"

	"github.com/callsim/callsim/sim"
)

// Example is one labelled trainee line of a corpus.
type Example struct {
	Text string
	Lang sim.Lang
	Acts []sim.Act
	// Where is file:line, for messages.
	Where string
}

// ParseCorpus reads a corpus file: `acts<TAB>line` per line, acts
// comma-separated (testdata/LABELS.md); blank lines and # comments are
// skipped. lang is the language of every line of the file.
func ParseCorpus(name string, data []byte, lang sim.Lang) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		labels, text, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("%s:%d: want acts<TAB>line", name, n)
		}
		var acts []sim.Act
		for _, l := range strings.Split(labels, ",") {
			a := sim.Act(strings.TrimSpace(l))
			if !slices.Contains(sim.Acts, a) {
				return nil, fmt.Errorf("%s:%d: unknown act %q", name, n, a)
			}
			if !slices.Contains(acts, a) {
				acts = append(acts, a)
			}
		}
		if len(acts) > 1 && slices.Contains(acts, sim.ActOther) {
			return nil, fmt.Errorf("%s:%d: other goes with no other act", name, n)
		}
		out = append(out, Example{Text: text, Lang: lang, Acts: acts, Where: fmt.Sprintf("%s:%d", name, n)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// ReadCorpora reads every *.tsv file of fsys whose name starts with en- or
// zh- (the language of its lines), in name order.
func ReadCorpora(fsys fs.FS) ([]Example, error) {
	names, err := fs.Glob(fsys, "*.tsv")
	if err != nil {
		return nil, fmt.Errorf("read corpora: %w", err)
	}
	var all []Example
	for _, name := range names {
		var lang sim.Lang
		switch {
		case strings.HasPrefix(path.Base(name), "en-"):
			lang = sim.LangEN
		case strings.HasPrefix(path.Base(name), "zh-"):
			lang = sim.LangZH
		default:
			return nil, fmt.Errorf("read corpora: %s: name must start with en- or zh-", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read corpora: %w", err)
		}
		ex, err := ParseCorpus(name, b, lang)
		if err != nil {
			return nil, fmt.Errorf("read corpora: %w", err)
		}
		all = append(all, ex...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("read corpora: no en-*.tsv or zh-*.tsv files")
	}
	return all, nil
}

// trainConfig holds the training settings. They are part of the model:
// changing one changes model.bin, which TestModelUpToDate then asks to
// regenerate.
type trainConfig struct {
	epochs   int
	rate     float64 // learning rate of the first epoch
	decay    float64 // rate = rate / (1 + decay*epoch)
	l2       float64
	minCount int // a feature seen in fewer lines is dropped
	seed     uint64
	noRules  bool // leave out the lexical reader's acts (for comparison)
}

var defaultTrain = trainConfig{epochs: 24, rate: 2, decay: 0.15, l2: 1e-5, minCount: 2, seed: 20261201}

// TrainModel trains the act model on examples and returns the model file
// (the bytes of model.bin). It is deterministic: the same examples give
// the same bytes.
func TrainModel(examples []Example) ([]byte, error) {
	m, err := train(newLexReader(), examples)
	if err != nil {
		return nil, err
	}
	return m.encode(), nil
}

func train(lex *lexReader, examples []Example) (*model, error) {
	return trainWith(lex, examples, defaultTrain)
}

func trainWith(lex *lexReader, examples []Example, cfg trainConfig) (*model, error) {
	if len(examples) == 0 {
		return nil, fmt.Errorf("train: no examples")
	}
	acts := slices.Clone(sim.Acts)
	nA := len(acts)
	type row struct {
		feats []int32
		y     []float64
	}
	counts := map[uint32]int{}
	vocab := map[string]bool{}
	raw := make([][]uint32, len(examples))
	for i, ex := range examples {
		a := lex.Classify(ex.Text, ex.Lang)
		ra := a.Acts
		if cfg.noRules {
			ra = nil
		}
		fs, _, _ := lex.featurize(nil, nil, a.Norm, a.Lang, ra)
		for _, w := range strings.Fields(asciiWords(lex, a.Norm)) {
			vocab[w] = true
		}
		seen := map[uint32]bool{}
		for _, f := range fs {
			if !seen[f] {
				seen[f] = true
				counts[f]++
			}
		}
		raw[i] = fs
	}
	kept := make([]uint32, 0, len(counts))
	for f, n := range counts {
		if n >= cfg.minCount {
			kept = append(kept, f)
		}
	}
	slices.Sort(kept)
	idx := make(map[uint32]int32, len(kept))
	for i, f := range kept {
		idx[f] = int32(i)
	}
	rows := make([]row, len(examples))
	for i, ex := range examples {
		r := row{y: make([]float64, nA)}
		for _, f := range raw[i] {
			if j, ok := idx[f]; ok {
				r.feats = append(r.feats, j)
			}
		}
		for k, a := range acts {
			if slices.Contains(ex.Acts, a) {
				r.y[k] = 1
			}
		}
		rows[i] = r
		_ = raw[i]
	}
	norms := make([]float64, len(rows))
	for i := range rows {
		// the same normalisation as model.probs: over all the line's
		// features, kept or not
		norms[i] = 1
		if n := len(raw[i]); n > 0 {
			norms[i] = 1 / math.Sqrt(float64(n))
		}
	}

	w := make([]float64, len(kept)*nA)
	b := make([]float64, nA)
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15))
	z := make([]float64, nA)
	for epoch := range cfg.epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := cfg.rate / (1 + cfg.decay*float64(epoch))
		for _, i := range order {
			r, nv := rows[i], norms[i]
			copy(z, b)
			for _, f := range r.feats {
				ws := w[int(f)*nA : int(f)*nA+nA]
				for k := range nA {
					z[k] += ws[k] * nv
				}
			}
			for k := range nA {
				g := 1/(1+math.Exp(-z[k])) - r.y[k]
				z[k] = g // reuse as the gradient
				b[k] -= rate * g
			}
			for _, f := range r.feats {
				ws := w[int(f)*nA : int(f)*nA+nA]
				for k := range nA {
					ws[k] -= rate * (z[k]*nv + cfg.l2*ws[k])
				}
			}
		}
	}

	maxAbs := 0.0
	for _, v := range w {
		maxAbs = max(maxAbs, math.Abs(v))
	}
	if maxAbs == 0 {
		maxAbs = 1
	}
	scale := maxAbs / math.MaxInt16
	m := &model{acts: acts, scale: float32(scale), bias: make([]float32, nA), index: make(map[uint32]int32, len(kept))}
	for w := range vocab {
		if len(w) < 256 {
			m.vocab = append(m.vocab, w)
		}
	}
	slices.Sort(m.vocab)
	for k := range nA {
		m.bias[k] = float32(b[k])
	}
	for i, f := range kept {
		allZero := true
		q := make([]int16, nA)
		for k := range nA {
			q[k] = int16(math.Round(w[i*nA+k] / scale))
			if q[k] != 0 {
				allZero = false
			}
		}
		if allZero {
			continue
		}
		m.index[f] = int32(len(m.weight))
		m.weight = append(m.weight, q...)
	}
	return m, nil
}

// asciiWords returns the English words of a normalised line as the
// stemmer sees them (canonical spellings), separated by spaces.
func asciiWords(lex *lexReader, norm string) string {
	var b strings.Builder
	for _, f := range strings.FieldsFunc(norm, func(r rune) bool { return r >= 0x80 || !isASCIIAlnum(byte(r)) && r != '\'' }) {
		if k := strings.IndexByte(f, '\''); k > 0 {
			f = f[:k]
		}
		if f == "" || isDigit(f[0]) {
			continue
		}
		if canon, ok := lex.canon[f]; ok {
			f = canon
		}
		b.WriteString(f)
		b.WriteByte(' ')
	}
	return b.String()
}
