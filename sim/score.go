package sim

import (
	"math"
	"slices"
	"unicode"
)

// Published reference for top sales calls, shown beside the trainee's own
// figures (Gong.io's analysis of sales calls).
const (
	ReferenceTalkShare    = 0.43
	ReferenceQuestionsMin = 11
	ReferenceQuestionsMax = 14
	ReferenceSource       = "Gong.io analysis of sales calls: top reps talk ~43% of the time and ask 11–14 discovery questions in a 30–60-minute discovery call; the question range is scaled to this call's speaking time"
	// The length of the calls the question reference comes from.
	referenceCallMinMinutes = 30
	referenceCallMaxMinutes = 60
)

// secondsPerUnit is the speaking time of one unit (a word, or two Chinese
// characters): about 150 words a minute. pausePerTurn is the turn-taking gap.
const (
	secondsPerUnit = 0.4
	pausePerTurn   = 1.0
)

// Scorecard returns the scorecard as of now (a fresh value each time).
func (d *Deal) Scorecard() *Scorecard {
	s := d.card(false)
	s.Transcript = slices.Clone(d.transcript)
	return s
}

// ScorecardWithoutTranscript is Scorecard without its transcript, for a
// client that has the turns already.
func (d *Deal) ScorecardWithoutTranscript() *Scorecard { return d.card(false) }

// CallTurns returns the transcript of one call (a copy).
func (d *Deal) CallTurns(call int) []TranscriptTurn {
	var out []TranscriptTurn
	for _, t := range d.transcript {
		if t.Call == call {
			out = append(out, t)
		}
	}
	return out
}

// Summary returns what a turn changes in a stored deal's summary: its cost
// does not grow with the transcript.
func (d *Deal) Summary() DealSummary { return d.card(true).Summary() }

// card builds the scorecard without its transcript; light leaves out the
// findings' words, which a summary does not need.
func (d *Deal) card(light bool) *Scorecard {
	lang := d.cfg.Lang
	s := &Scorecard{
		EngineVersion:  EngineVersion,
		Persona:        d.p.ID,
		Scenario:       d.sc.ID,
		Lang:           lang,
		Seed:           d.cfg.Seed,
		PersonaVersion: d.PersonaVersion(),
		Over:           d.over,
		Milestones:     make(map[Milestone]*MilestoneResult, 3),
		Commitment:     d.commitment,
		Calls:          len(d.calls),
		Findings:       make([]Finding, 0, len(d.findings)),
		CallsDetail:    make([]*CallDetail, 0, len(d.calls)),
	}
	for _, m := range Milestones {
		r := MilestoneResult{Label: d.sc.Milestones[m].Label.In(lang), Required: m != MilestoneNeed || d.needRequired()}
		if got := d.reached[m]; got != nil {
			r.Reached, r.Call, r.Turn, r.Quote, r.Surface = true, got.Call, got.Turn, got.Quote, got.Surface
			r.TurnsTo = got.Turn
			for _, c := range d.calls[:min(got.Call-1, len(d.calls))] {
				r.TurnsTo += c.turns
			}
		}
		s.Milestones[m] = &r
	}
	s.Outcome = d.outcome()

	var trU, cuU, q, disc int
	for i, c := range d.calls {
		n := i + 1
		cd := &CallDetail{
			Call: n, Goal: c.goal, GoalLabel: d.sc.Milestones[c.goal].Label.In(lang),
			EndedBy: c.endedBy, EndReason: c.endReason, Turns: c.turns,
			DurationSec: duration(c), Stages: slices.Clone(c.stages), StagesInOrder: inOrder(c.stages),
			Milestones: slices.Clone(c.milestones), NextStep: c.nextStep,
			Talk: talk(c.trUnits, c.cuUnits, c.questions, c.discovery, duration(c)),
		}
		if c.endedBy != "" || d.goalReached(n) {
			cd.GoalReached = d.goalReached(n)
		}
		s.CallsDetail = append(s.CallsDetail, cd)
		s.Turns += c.turns
		s.DurationSec += cd.DurationSec
		trU, cuU, q, disc = trU+c.trUnits, cuU+c.cuUnits, q+c.questions, disc+c.discovery
	}
	s.Talk = talk(trU, cuU, q, disc, s.DurationSec)

	for _, f := range d.findings {
		if light {
			s.Findings = append(s.Findings, Finding{Code: f.code, Severity: findingSeverity(f.code), Call: f.call, Turn: f.turn,
				Points: -d.penalty(f)})
			continue
		}
		msg, adv := renderFinding(f.code, lang, f.detail)
		texts := make(map[Lang]FindingText, len(Langs))
		for _, l := range Langs {
			m, a := renderFinding(f.code, l, f.detail)
			texts[l] = FindingText{Message: m, Advice: a}
		}
		s.Findings = append(s.Findings, Finding{
			Code: f.code, Severity: findingSeverity(f.code), Call: f.call, Turn: f.turn,
			Message: msg, Advice: adv, Points: -d.penalty(f), Texts: texts,
		})
	}
	s.Score, s.Breakdown = d.score(s, light)
	if d.over {
		s.Hidden = d.reveal()
	}
	return s
}

func talk(tr, cu, q, disc int, speakingSec float64) Talk {
	// The published range is for a whole 30–60-minute call: scaled to this
	// call's speaking time, the fewest from the longest reference call and
	// the most from the shortest, and at least one question at the top.
	minutes := speakingSec / 60
	t := Talk{
		ReferenceShare: ReferenceTalkShare, Source: ReferenceSource, SpeakingSec: speakingSec,
		ReferenceMin: int(math.Round(ReferenceQuestionsMin * minutes / referenceCallMaxMinutes)),
		ReferenceMax: max(1, int(math.Round(ReferenceQuestionsMax*minutes/referenceCallMinMinutes))),
		Questions:    q, Discovery: disc,
	}
	if tr+cu > 0 {
		t.TraineeShare = math.Round(float64(tr)/float64(tr+cu)*1000) / 1000
	}
	return t
}

func duration(c *callState) float64 {
	return math.Round((float64(c.trUnits+c.cuUnits)*secondsPerUnit+float64(2*c.turns+1)*pausePerTurn)*10) / 10
}

// inOrder reports whether a call went through the stages in the proper
// order: it began with the opening and never went back to an earlier
// stage. A call that jumped straight to commitment, or said nothing, did
// not.
func inOrder(st []Stage) bool {
	if len(st) == 0 || st[0] != StageOpening {
		return false
	}
	last := -1
	for _, s := range st {
		i := slices.Index(Stages, s)
		if i < last {
			return false
		}
		last = i
	}
	return true
}

func (d *Deal) outcome() string {
	switch {
	case d.reached[MilestoneDeal] != nil:
		return string(MilestoneDeal)
	case d.reached[MilestoneOffer] != nil:
		return string(MilestoneOffer)
	case d.reached[MilestoneNeed] != nil:
		return string(MilestoneNeed)
	case d.letGoPolitely():
		// Let go politely after a proper opening: an interrogation that
		// happens to end politely is no qualification.
		return "qualified_out"
	}
	return "none"
}

// itemMilestone is the milestone a breakdown item scores.
var itemMilestone = map[string]Milestone{
	"need": MilestoneNeed, "need_waived": MilestoneNeed, "offer": MilestoneOffer, "offer_surface": MilestoneOffer,
	"price": MilestoneDeal, "time": MilestoneDeal,
}

var itemLabels = map[string]Text{
	"need":          {LangEN: "Need with an urgent motive voiced", LangZH: "客户表达有迫切动机的需求"},
	"offer":         {LangEN: "Product and service accepted", LangZH: "认可产品和服务"},
	"offer_surface": {LangEN: "Product accepted on the surface need only (half the points)", LangZH: "仅在表面需求上认可产品（得一半分）"},
	"price":         {LangEN: "Price accepted", LangZH: "认可价格"},
	"time":          {LangEN: "Time accepted", LangZH: "认可时间"},
	"qualify":       {LangEN: "No real need found and the customer let go politely", LangZH: "发现没有真实需求并礼貌结束"},
	"goal":          {LangEN: "Calls that reached their goal milestone", LangZH: "达到预定里程碑的通话"},
	"process":       {LangEN: "Opening, stage order and talk balance", LangZH: "开场、阶段顺序和说话比例"},
	"penalties":     {LangEN: "Deductions for findings", LangZH: "问题扣分"},
	"floor":         {LangEN: "The score does not go below 0", LangZH: "分数最低为 0"},
	"need_waived":   {LangEN: "Need (not required for this product; earned with the product's acceptance)", LangZH: "需求（此产品不需要挖需求，认可产品时得分）"},
}

// score computes the 0–100 score and explains every point of it.
func (d *Deal) score(s *Scorecard, light bool) (int, []ScoreLine) {
	w, lang := d.cfg.Weights, d.cfg.Lang
	lines := make([]ScoreLine, 0, 8)
	add := func(item string, pts, maxPts int) {
		if light {
			lines = append(lines, ScoreLine{Item: item, Points: pts, Max: maxPts})
			return
		}
		label := itemLabels[item].In(lang)
		// A milestone's line names it as the scenario does, with the
		// method's meaning beside it.
		if m, ok := itemMilestone[item]; ok {
			if sl := d.sc.Milestones[m].Label.In(lang); sl != "" {
				label = sl + " — " + label
			}
		}
		lines = append(lines, ScoreLine{Item: item, Label: label, Points: pts, Max: maxPts})
	}
	if d.fit() {
		need := w.Need
		if d.needRequired() {
			if d.reached[MilestoneNeed] == nil {
				need = 0
			}
			add("need", need, w.Need)
		} else {
			// A simple product needs no digging, but the points of the
			// need stage are earned only by a call that got the product
			// accepted: a call that reached nothing earned nothing.
			if d.reached[MilestoneOffer] == nil {
				need = 0
			}
			add("need_waived", need, w.Need)
		}
		if o := d.reached[MilestoneOffer]; o != nil && o.Surface {
			add("offer_surface", w.Offer/2, w.Offer)
		} else {
			add("offer", pick(o != nil, w.Offer), w.Offer)
		}
		add("price", pick(d.commitment.Price, w.Price), w.Price)
		add("time", pick(d.commitment.Time, w.Time), w.Time)
	} else {
		// Not a fit: the right result is a short, polite call.
		// Not a fit: the right result is a short, polite call. Letting go
		// politely earns the points in full only after a proper opening
		// and without asking the same question twice: an interrogation
		// that happens to end politely is no qualification.
		q := w.Need + w.Offer + w.Price + w.Time
		pts := 0
		switch {
		case s.Outcome == "qualified_out":
			pts = q
		case d.noNeedSaid && d.pressure == 0 && d.known():
			pts = q / 3
		}
		add("qualify", pts, q)
	}
	// Goal: the share of ended calls that reached their goal.
	ended, hit := 0, 0
	for i, c := range d.calls {
		if c.endedBy == "" && !d.goalReached(i+1) {
			continue
		}
		ended++
		if d.goalReached(i + 1) {
			hit++
		}
	}
	goal := 0
	if ended > 0 {
		goal = int(math.Round(float64(w.Goal) * float64(hit) / float64(ended)))
	}
	add("goal", goal, w.Goal)
	// Process: opening, stage order, talk balance — a third each.
	proc := 0.0
	if len(d.calls) > 0 {
		if d.calls[0].opened {
			proc++
		}
		ordered := true
		for _, c := range d.calls {
			ordered = ordered && inOrder(c.stages)
		}
		if ordered {
			proc++
		}
		if s.Talk.TraineeShare > 0 && s.Talk.TraineeShare <= d.cfg.Rules.TalkShareMax {
			proc++
		}
	}
	add("process", int(math.Round(float64(w.Process)*proc/3)), w.Process)
	total := 0
	for _, l := range lines {
		total += l.Points
	}
	// The findings cost what they list; the score does not go below zero,
	// and the breakdown says so on a line of its own, so that its lines
	// always add up to the score.
	pen := 0
	for _, f := range s.Findings {
		pen -= f.Points
	}
	add("penalties", -pen, 0)
	if floor := pen - total; floor > 0 {
		add("floor", floor, 0)
	}
	return clamp(total-pen, 0, 100), lines
}

func pick(ok bool, pts int) int {
	if ok {
		return pts
	}
	return 0
}

// reveal returns the hidden state in the deal's language.
func (d *Deal) reveal() *HiddenReveal {
	h, lang := d.p.Hidden, d.cfg.Lang
	r := &HiddenReveal{
		Urgency: h.Urgency, Motive: h.Motive.In(lang), SurfaceNeed: h.SurfaceNeed.In(lang),
		Budget: h.Budget, MaxBudget: h.MaxBudget, DecidesAlone: h.DecidesAlone,
		Objections: []RevealedObjection{},
	}
	if !h.HasMotive() {
		r.Motive = ""
	}
	for i, o := range d.p.Objections {
		line := ""
		if vs := o.Lines[lang]; len(vs) > 0 {
			line = vs[0]
		}
		r.Objections = append(r.Objections, RevealedObjection{
			ID: o.ID, Kind: o.Kind, Line: line, Raised: d.objections[i].raised, Resolved: d.objections[i].resolved,
		})
	}
	return r
}

// PersonaVersion fingerprints the persona and scenario of the deal.
func (d *Deal) PersonaVersion() string {
	if d.p.Version == "" && d.sc.Version == "" {
		return ""
	}
	return d.p.Version + "+" + d.sc.Version
}

// spokenUnits measures how long a line takes to say: Latin words plus
// Chinese characters / 2 (both about 0.4 s), at least 1 for a non-empty line.
func spokenUnits(s string) int {
	words, han, inWord := 0, 0, false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			inWord = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				words++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	n := words + (han+1)/2
	if n == 0 && s != "" {
		n = 1
	}
	return n
}

func (d *Deal) hasFinding(code string) bool {
	for _, f := range d.findings {
		if f.code == code {
			return true
		}
	}
	return false
}

// penalty is what a finding costs. A call that missed its goal but ended
// with an agreed next step did what the lecture asks when a milestone is
// out of reach: the miss is reported and costs the goal points, no more.
func (d *Deal) penalty(f rawFinding) int {
	if m, ok := f.detail.(missedGoal); ok && m.nextStep {
		return 0
	}
	if od, ok := f.detail.(overDiscounts); ok {
		return d.cfg.Weights.Penalties[f.code] * min(len(od), maxOverDiscounts)
	}
	return d.cfg.Weights.Penalties[f.code]
}
