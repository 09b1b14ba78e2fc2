package understand

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/callsim/callsim/sim"
)

// model is a multi-label linear classifier: one logistic output per act
// over the hashed features of a line (features.go). Its weights are
// trained by `go generate` (train.go, internal/train) on testdata/train and
// embedded as model.bin; the weights are quantised to int16 with one scale,
// so the file is small and identical on every machine that trains it.
type model struct {
	acts   []sim.Act
	scale  float32
	bias   []float32
	index  map[uint32]int32 // feature hash → offset into weights
	weight []int16          // len(acts) weights per feature
	vocab  []string         // the English words of the training lines, for the stem table
}

const modelMagic = "CSM1"

// loadModel reads a model file. An empty file is no model.
func loadModel(b []byte) (*model, error) {
	if len(b) == 0 {
		return nil, nil
	}
	r := bytes.NewReader(b)
	magic := make([]byte, 4)
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("model: not a callsim model file")
	}
	var nActs uint16
	if err := binary.Read(r, binary.LittleEndian, &nActs); err != nil {
		return nil, fmt.Errorf("model: header: %w", err)
	}
	if nActs == 0 || int(nActs) > len(sim.Acts) {
		return nil, fmt.Errorf("model: %d acts; want 1 to %d", nActs, len(sim.Acts))
	}
	m := &model{}
	for range nActs {
		var n uint8
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, fmt.Errorf("model: act names: %w", err)
		}
		name := make([]byte, n)
		if _, err := io.ReadFull(r, name); err != nil {
			return nil, fmt.Errorf("model: act names: %w", err)
		}
		a := sim.Act(name)
		if !slices.Contains(sim.Acts, a) {
			return nil, fmt.Errorf("model: unknown act %q: retrain with go generate ./sim/understand", a)
		}
		if len(m.acts) > 0 && slices.Index(sim.Acts, a) <= slices.Index(sim.Acts, m.acts[len(m.acts)-1]) {
			return nil, fmt.Errorf("model: act %q out of order or twice: retrain with go generate ./sim/understand", a)
		}
		m.acts = append(m.acts, a)
	}
	m.bias = make([]float32, nActs)
	var nFeat uint32
	if err := binary.Read(r, binary.LittleEndian, &m.scale); err != nil {
		return nil, fmt.Errorf("model: scale: %w", err)
	}
	if err := binary.Read(r, binary.LittleEndian, m.bias); err != nil {
		return nil, fmt.Errorf("model: bias: %w", err)
	}
	if err := binary.Read(r, binary.LittleEndian, &nFeat); err != nil {
		return nil, fmt.Errorf("model: features: %w", err)
	}
	if uint64(nFeat)*uint64(4+2*int(nActs)) > uint64(r.Len()) {
		return nil, fmt.Errorf("model: %d features do not fit %d bytes", nFeat, r.Len())
	}
	m.index = make(map[uint32]int32, nFeat)
	m.weight = make([]int16, int(nFeat)*int(nActs))
	hashes := make([]uint32, nFeat)
	if err := binary.Read(r, binary.LittleEndian, hashes); err != nil {
		return nil, fmt.Errorf("model: features: %w", err)
	}
	if err := binary.Read(r, binary.LittleEndian, m.weight); err != nil {
		return nil, fmt.Errorf("model: weights: %w", err)
	}
	for i, h := range hashes {
		m.index[h] = int32(i * int(nActs))
	}
	var nWords uint32
	if err := binary.Read(r, binary.LittleEndian, &nWords); err != nil {
		return nil, fmt.Errorf("model: vocabulary: %w", err)
	}
	if uint64(nWords) > uint64(r.Len()) {
		return nil, fmt.Errorf("model: %d words do not fit %d bytes", nWords, r.Len())
	}
	m.vocab = make([]string, 0, nWords)
	for range nWords {
		n, err := r.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("model: vocabulary: %w", err)
		}
		w := make([]byte, n)
		if _, err := io.ReadFull(r, w); err != nil {
			return nil, fmt.Errorf("model: vocabulary: %w", err)
		}
		m.vocab = append(m.vocab, string(w))
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("model: %d bytes after the vocabulary", r.Len())
	}
	return m, nil
}

// encode writes the model in the format loadModel reads. Features are
// written in hash order, so the same weights always give the same bytes.
func (m *model) encode() []byte {
	var b bytes.Buffer
	b.WriteString(modelMagic)
	n := len(m.acts)
	binary.Write(&b, binary.LittleEndian, uint16(n))
	for _, a := range m.acts {
		b.WriteByte(byte(len(a)))
		b.WriteString(string(a))
	}
	binary.Write(&b, binary.LittleEndian, m.scale)
	binary.Write(&b, binary.LittleEndian, m.bias)
	hashes := make([]uint32, 0, len(m.index))
	for h := range m.index {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	binary.Write(&b, binary.LittleEndian, uint32(len(hashes)))
	binary.Write(&b, binary.LittleEndian, hashes)
	for _, h := range hashes {
		off := m.index[h]
		binary.Write(&b, binary.LittleEndian, m.weight[off:int(off)+n])
	}
	binary.Write(&b, binary.LittleEndian, uint32(len(m.vocab)))
	for _, w := range m.vocab {
		b.WriteByte(byte(len(w)))
		b.WriteString(w)
	}
	return b.Bytes()
}

// probs writes into p the probability of each of m.acts for the features.
// Each feature counts 1/sqrt(len(feats)), so long lines are not more
// certain for being long.
func (m *model) probs(p []float64, feats []uint32) {
	n := len(m.acts)
	var sum [32]float32
	for _, f := range feats {
		off, ok := m.index[f]
		if !ok {
			continue
		}
		w := m.weight[off : int(off)+n]
		for k, v := range w {
			sum[k] += float32(v)
		}
	}
	norm := float32(1)
	if len(feats) > 0 {
		norm = 1 / float32(math.Sqrt(float64(len(feats))))
	}
	for k := range n {
		z := float64(sum[k]*m.scale*norm + m.bias[k])
		p[k] = 1 / (1 + math.Exp(-z))
	}
}

// coverage is the share of feats the model has weights for.
func (m *model) coverage(feats []uint32) float64 {
	if len(feats) == 0 {
		return 0
	}
	known := 0
	for _, f := range feats {
		if _, ok := m.index[f]; ok {
			known++
		}
	}
	return float64(known) / float64(len(feats))
}
