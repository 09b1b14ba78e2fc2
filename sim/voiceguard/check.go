package voiceguard

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

// Reasons a voicing is discarded: stable codes for metrics and logs.
const (
	ReasonError         = "error"         // the voice failed
	ReasonUnavailable   = "unavailable"   // the voice refused at once: it backs off, or its circuit is open
	ReasonLate          = "late"          // the deadline passed first
	ReasonEmpty         = "empty"         // nothing said
	ReasonTooLong       = "too_long"      // far longer than the engine's line, or than the cap
	ReasonLanguage      = "language"      // not in the call's language
	ReasonSellerAct     = "seller_act"    // the customer pitches, offers a price or asks for the deal
	ReasonContradiction = "contradiction" // accepts where the engine refuses or postpones, or the reverse
	ReasonAmount        = "amount"        // a number the engine's line and the public profile do not state
	ReasonDate          = "date"          // a date or time the engine's line and the public profile do not state
	ReasonFact          = "fact"          // a name or a subject the engine's line and the public profile do not mention
)

// Reasons lists every reason code, for metrics that start each at zero.
var Reasons = []string{
	ReasonError, ReasonUnavailable, ReasonLate, ReasonEmpty, ReasonTooLong, ReasonLanguage,
	ReasonSellerAct, ReasonContradiction, ReasonAmount, ReasonDate, ReasonFact,
}

// sellerActs are the acts a customer never performs: they are the seller's.
var sellerActs = []sim.Act{sim.ActPitch, sim.ActPrice, sim.ActAskCommitment}

// Check reports why voicing may not stand for req.Line, or "" when it may:
// the reason code and a short detail for the log. It calls nothing but the
// ear and is safe for concurrent use.
func (g *Guard) Check(req sim.VoiceRequest, voicing string) (reason, detail string) {
	voicing = strings.TrimSpace(voicing)
	if voicing == "" {
		return ReasonEmpty, "the voice said nothing"
	}
	if n, limit := length(voicing), g.limit(req.Line); n > limit {
		return ReasonTooLong, fmt.Sprintf("length %d, more than %d", n, limit)
	}
	lang := req.Lang
	if !lang.Valid() {
		lang = scriptLang(req.Line)
	}
	if why := wrongLanguage(voicing, req.Line, lang); why != "" {
		return ReasonLanguage, why
	}
	av := g.ear.Understand(voicing, lang)
	al := g.ear.Understand(req.Line, lang)
	if r, d := g.sellerAct(lang, av, al); r != "" {
		return r, d
	}
	if r, d := g.contradiction(req.Situation, lang, av.Norm, al.Norm); r != "" {
		return r, d
	}
	prof := g.profile(req.Persona.Profile)
	if r, d := g.newFacts(voicing, lang, av, al, prof, req); r != "" {
		return r, d
	}
	return "", ""
}

// limit is the longest voicing of line allowed (see length).
func (g *Guard) limit(line string) int {
	n := g.cfg.LengthRatio * length(line)
	return min(max(n, minLimit), g.cfg.MaxLength)
}

// minLimit is the least room a voicing has: three times "Why do you ask?"
// is too tight for "I'd rather not go into that. Tell me what you do first."
const minLimit = 80

// length is how long a line is to say: its characters, a Chinese one
// counting two (twenty Chinese characters say about as much as forty
// letters of English).
func length(s string) int {
	n := 0
	for _, r := range s {
		n++
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// sellerAct: the ear reads a seller's act in the voicing that it does not
// read in the engine's line, and a seller's phrase says so.
func (g *Guard) sellerAct(lang sim.Lang, av, al sim.Analysis) (string, string) {
	for _, act := range sellerActs {
		if !av.Has(act) || al.Has(act) {
			continue
		}
		if p, ok := g.newPhrase(av.Norm, al.Norm, g.lx.seller[lang]); ok {
			return ReasonSellerAct, fmt.Sprintf("%s (%q)", act, p)
		}
	}
	return "", ""
}

// newPhrase returns a phrase of list that norm has and line has not.
func (g *Guard) newPhrase(norm, line string, list []string) (string, bool) {
	for _, p := range list {
		if len(find(norm, p)) > 0 && len(find(line, p)) == 0 {
			return p, true
		}
	}
	return "", false
}

// contradiction: an acceptance the engine's situation does not allow, or a
// refusal.
func (g *Guard) contradiction(sit sim.Situation, lang sim.Lang, norm, line string) (string, string) {
	c := g.lx.classOf(sit)
	if c == classUnchecked {
		return "", ""
	}
	refusals := g.cues(norm, line, g.lx.refuse[lang], nil, false, lang)
	if c != classAccept {
		var spans []span
		for _, p := range g.lx.refuse[lang] {
			spans = append(spans, find(norm, p)...)
		}
		if p := g.cues(norm, line, g.lx.accept[lang], spans, true, lang); p != "" {
			return ReasonContradiction, fmt.Sprintf("accepts (%q) where the engine's line is %s", p, sit)
		}
	}
	if c != classRefuse && refusals != "" {
		return ReasonContradiction, fmt.Sprintf("refuses (%q) where the engine's line is %s", refusals, sit)
	}
	return "", ""
}

// cues returns the first phrase of list in norm that line lacks, that
// overlaps none of the spans and, with negatable, is not negated.
func (g *Guard) cues(norm, line string, list []string, inside []span, negatable bool, lang sim.Lang) string {
	for _, p := range list {
		if len(find(line, p)) > 0 {
			continue
		}
	next:
		for _, s := range find(norm, p) {
			for _, o := range inside {
				if s.start < o.end && o.start < s.end {
					continue next
				}
			}
			if negatable && g.negated(clauseBefore(norm, s.start), lang) {
				continue
			}
			return p
		}
	}
	return ""
}

// negated reports whether a clause ending just before a phrase negates it:
// "i won't" sign, 不 签合同, 不能 马上开始.
func (g *Guard) negated(before string, lang sim.Lang) bool {
	if lang == sim.LangZH {
		for _, n := range g.lx.negation[sim.LangZH] {
			if strings.HasSuffix(before, n) {
				return true
			}
			if i := strings.LastIndex(before, n); i >= 0 && utf8.RuneCountInString(before[i+len(n):]) == 1 {
				return true // 不要签, 没法开始
			}
		}
		return false
	}
	words := strings.Fields(before)
	for _, w := range words[max(0, len(words)-3):] {
		if strings.HasSuffix(w, "n't") || slices.Contains(g.lx.negation[sim.LangEN], w) {
			return true
		}
	}
	return false
}

// newFacts: numbers, dates, names and subjects the voicing states that
// neither the engine's line nor the public profile does. The voice is given
// nothing of the hidden state, so whatever else it states, it made up — or
// guessed right, which is worse.
func (g *Guard) newFacts(voicing string, lang sim.Lang, av, al sim.Analysis, prof *profileFacts, req sim.VoiceRequest) (string, string) {
	lineNorm := mask(al.Norm, g.lx.mask[lang])
	norm := mask(av.Norm, g.lx.mask[lang])
	allowed := map[string]bool{}
	for _, n := range g.lx.numbers(lineNorm) {
		for _, k := range n.keys {
			allowed[k] = true
		}
	}
	for k := range prof.numbers {
		allowed[k] = true
	}
	var firstDate string
	for _, n := range g.lx.numbers(norm) {
		if slices.ContainsFunc(n.keys, func(k string) bool { return allowed[k] }) {
			continue
		}
		if n.date {
			if firstDate == "" {
				firstDate = n.text
			}
			continue
		}
		return ReasonAmount, fmt.Sprintf("states %q", n.text)
	}
	if firstDate != "" {
		return ReasonDate, fmt.Sprintf("states %q", firstDate)
	}
	lineDates := g.dates(lineNorm, lang)
	for _, d := range g.dates(norm, lang) {
		if !slices.ContainsFunc(lineDates, func(l datePhrase) bool { return l.key == d.key }) && !prof.dates[d.key] {
			return ReasonDate, fmt.Sprintf("states %q", d.phrase)
		}
	}
	for _, c := range av.Concepts {
		if g.lx.factConcepts[c] && !slices.Contains(al.Concepts, c) && !prof.concepts[c] {
			return ReasonFact, fmt.Sprintf("speaks of %s", c)
		}
	}
	if w := g.newName(voicing, req, lang, prof); w != "" {
		return ReasonFact, fmt.Sprintf("names %q", w)
	}
	return "", ""
}

// dates returns the dates a masked, normalised line names.
func (g *Guard) dates(norm string, lang sim.Lang) []datePhrase {
	var out []datePhrase
	for _, d := range g.lx.dates[lang] {
		if len(find(norm, d.phrase)) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// newName returns a name (a capitalised word mid-sentence or an acronym;
// in Chinese, any Latin word) that the voicing has and that neither the
// engine's line, the profile nor the conversation has.
func (g *Guard) newName(voicing string, req sim.VoiceRequest, lang sim.Lang, prof *profileFacts) string {
	var known map[string]bool // built on the first candidate: most voicings have none
	for _, w := range wordsOf(voicing) {
		first, _ := utf8.DecodeRuneInString(w.text)
		caps := strings.ToUpper(w.text) == w.text && utf8.RuneCountInString(w.text) > 1
		candidate := lang == sim.LangZH && utf8.RuneCountInString(w.text) > 1 ||
			lang != sim.LangZH && (caps || !w.start && unicode.IsUpper(first))
		if !candidate {
			continue
		}
		lw := strings.ToLower(w.text)
		if g.lx.namesOK[lw] || prof.words[lw] || g.lx.enDateWords[lw] {
			continue
		}
		if known == nil {
			known = map[string]bool{}
			for _, t := range append([]string{req.Line}, historyText(req.History)...) {
				for _, k := range latinWords(t) {
					known[k] = true
				}
			}
		}
		if !known[lw] {
			return w.text
		}
	}
	return ""
}

func historyText(h []sim.VoiceTurn) []string {
	out := make([]string, 0, 2*len(h))
	for _, t := range h {
		out = append(out, t.Trainee, t.Customer)
	}
	return out
}

// word is a Latin word of a text and whether it starts a sentence.
type word struct {
	text  string
	start bool
}

// wordsOf splits text into its Latin words.
func wordsOf(text string) []word {
	var out []word
	start := true
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isLatin(r) {
			j := i
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if !isLatin(r2) && !unicode.IsDigit(r2) && r2 != '\'' && r2 != '’' {
					break
				}
				j += n2
			}
			w := strings.TrimRight(text[i:j], "'’")
			w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
			out = append(out, word{text: w, start: start})
			start = false
			i = j
			continue
		}
		switch r {
		case '.', '!', '?', '…', '。', '！', '？', '"', '“', '”', '「', '」', ':', '：', '\n':
			start = true
		}
		i += n
	}
	return out
}

// latinWords are text's Latin words, in lower case.
func latinWords(text string) []string {
	var out []string
	for _, w := range wordsOf(text) {
		out = append(out, strings.ToLower(w.text))
	}
	return out
}

func isLatin(r rune) bool {
	return r < 0x250 && unicode.IsLetter(r)
}
