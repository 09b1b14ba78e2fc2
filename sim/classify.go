package sim

// Analysis is what the classifier makes of one trainee line.
type Analysis struct {
	Text string `json:"text"`
	Lang Lang   `json:"lang"`
	Acts []Act  `json:"acts"`
	// Question is true when the line asks something.
	Question bool `json:"-"`
	// Cues are finer signals the engine needs beyond the acts.
	Cues Cues `json:"-"`
	// Amount is a money amount the line names (5000, 3万, 2.5k), if any.
	Amount    float64 `json:"-"`
	HasAmount bool    `json:"-"`
	// Units is the spoken length: English words, or Chinese characters / 2
	// (about the same speaking time), at least 1 for a non-empty line.
	Units int `json:"-"`
	// Norm is the normalised text used for keyword matching: lower case,
	// simplified Chinese, half-width punctuation, collapsed spaces.
	Norm string `json:"-"`
	// Confidence is how sure the ear is of Acts, from 0 to 1: the
	// probability of the least certain act it kept.
	Confidence float64 `json:"-"`
	// Unsure is true when nothing in the line was recognised with
	// confidence: the customer asks what the trainee means instead of
	// reacting to a guess, and the line is not scored as understood.
	Unsure bool `json:"-"`
	// Stems are the line's English words, canonicalised and stemmed,
	// joined by single spaces: what keywords are matched against.
	Stems string `json:"-"`
	// Topic is what a question is about when it asks about the customer's
	// situation: "topic.team", "topic.tool", "topic.process",
	// "topic.decider", "topic.volume", or "" for none of them.
	Topic string `json:"-"`
	// Concepts are the concept groups the line speaks of (customer data,
	// staff leaving, a trial, a reference customer…), by id.
	Concepts []string `json:"-"`
}

// Cues are signals inside a line that the engine uses beyond its acts.
type Cues struct {
	// WhyNow: asks why now, by when, what deadline (the urgency of the motive).
	WhyNow bool
	// Implication: makes the cost of waiting or of not changing concrete
	// ("what happens if nothing changes", "每拖一个月损失多少").
	Implication bool
	// Date: names a concrete date or time (Monday, next week, 3月1日, 下周).
	Date bool
}

// Has reports whether the analysis carries act a.
func (a Analysis) Has(act Act) bool {
	for _, x := range a.Acts {
		if x == act {
			return true
		}
	}
	return false
}

// Understander is the customer's ear: it turns a trainee line into what the
// line does (its acts, with a confidence) and what it is about (amounts,
// dates, the concepts it mentions). sim/understand implements it; the
// engine consumes nothing else of the line.
type Understander interface {
	// Understand analyses one trainee line. lang may be LangAuto to detect
	// the language.
	Understand(text string, lang Lang) Analysis
	// Mentions reports whether an analysed line speaks of any of terms:
	// words or phrases in either language, matched on meaning (stems,
	// synonyms, concept groups), not on exact spelling.
	Mentions(a Analysis, terms []string) bool
}
