package sim

import (
	"fmt"
	"slices"
	"strings"
)

// Situation names a moment of the call for which a persona has lines. The
// engine decides the situation; the persona's data says the words.
type Situation string

// The situations the engine can put a customer in. Every persona (after its
// scenario's default lines are merged in) has at least MinVariants lines for
// each of them in each language it speaks.
const (
	SitPickup           Situation = "pickup"            // answers the phone on a first call
	SitFollowupWarm     Situation = "followup_warm"     // answers a follow-up after an agreed next step
	SitFollowupCold     Situation = "followup_cold"     // answers a follow-up after a cut-off call
	SitOpeningOK        Situation = "opening_ok"        // reply to a greeting or stated purpose
	SitNoPurpose        Situation = "no_purpose"        // "who is this, what do you want?"
	SitSmallTalk        Situation = "small_talk"        // reply to rapport
	SitSituation        Situation = "situation"         // answers a situation question (public facts)
	SitProblem          Situation = "problem"           // voices the surface need, no motive
	SitHint             Situation = "hint"              // gives a little more, motive still unspoken
	SitMotive           Situation = "motive"            // voices the urgent motive: the need milestone
	SitNoNeed           Situation = "no_need"           // no-motive persona: politely says there is no need
	SitLowTrust         Situation = "low_trust"         // dodges a question: not enough trust yet
	SitOverProbe        Situation = "over_probe"        // "I told you already, what do you offer?"
	SitRepeat           Situation = "repeat"            // "you asked that already"
	SitSummaryOK        Situation = "summary_ok"        // confirms the trainee's summary
	SitSurfaceRejection Situation = "surface_rejection" // premature pitch: "send me a brochure"
	SitPitchVague       Situation = "pitch_vague"       // pitch not tied to the need
	SitOfferAccept      Situation = "offer_accept"      // accepts the product: the offer milestone
	SitObjectionHold    Situation = "objection_hold"    // objection answered, but not convincingly
	SitPriceAsk         Situation = "price_ask"         // asks what it costs
	SitPriceAccept      Situation = "price_accept"      // accepts the price
	SitPriceHigh        Situation = "price_high"        // price above budget
	SitTimeAccept       Situation = "time_accept"       // accepts the time: with the price, the deal
	SitTimePostpone     Situation = "time_postpone"     // price fine, time postponed: no urgency
	SitTimeAsk          Situation = "time_ask"          // asks when it could start
	SitNotYet           Situation = "not_yet"           // asked to commit before accepting the product
	SitDealDone         Situation = "deal_done"         // both price and time agreed
	SitNextStepOK       Situation = "next_step_ok"      // agrees to a follow-up
	SitPressureWarn     Situation = "pressure_warn"     // first pressure
	SitHangupPressure   Situation = "hangup_pressure"   // second pressure: hangs up
	SitHangupPatience   Situation = "hangup_patience"   // patience ran out: hangs up
	SitDecline          Situation = "decline"           // no-fit persona refuses a push politely and ends the call
	SitGoodbye          Situation = "goodbye"           // reply to the trainee's goodbye
	SitFiller           Situation = "filler"            // line off topic, or not understood

	// Optional situations: a persona or scenario may have lines for them;
	// without, the engine uses the general situation named beside each.
	SitClarify          Situation = "clarify"           // line not understood: "sorry, what do you mean?" (else filler)
	SitSituationTeam    Situation = "situation_team"    // who is on the team, how many (else situation)
	SitSituationTool    Situation = "situation_tool"    // the current tool or supplier (else situation)
	SitSituationProcess Situation = "situation_process" // how the work is done today (else situation)
	SitSituationDecider Situation = "situation_decider" // who decides, who signs (else situation)
	SitSituationVolume  Situation = "situation_volume"  // volumes, how many a day or a month (else situation)
	SitSurfaceAccept    Situation = "surface_accept"    // accepts a presentation of the surface need: "sounds good" (else offer_accept)
	SitFollowupOpening  Situation = "followup_opening"  // a follow-up call's opening: "yes, go on" to a caller it knows (else small_talk)
	SitFollowupSeen     Situation = "followup_seen"     // asked in a follow-up call whether it looked at what was sent or passed it on: says so in a word (else followup_opening)
	SitOwnView          Situation = "own_view"          // asked what it thinks itself while someone else decides: its view, and that it does not decide (else the concern again)
)

// SituationTopics maps the topic a situation question asks about
// (Analysis.Topic) to the situation answering it.
var SituationTopics = []struct {
	Topic     string
	Situation Situation
}{
	{"topic.decider", SitSituationDecider},
	{"topic.tool", SitSituationTool},
	{"topic.volume", SitSituationVolume},
	{"topic.process", SitSituationProcess},
	{"topic.team", SitSituationTeam},
}

// OptionalSituations are the situations a persona may have lines for.
var OptionalSituations = []Situation{
	SitClarify, SitSituationTeam, SitSituationTool, SitSituationProcess, SitSituationDecider,
	SitSituationVolume, SitSurfaceAccept, SitFollowupOpening, SitFollowupSeen, SitOwnView,
}

// Situations lists every situation a persona must have lines for.
var Situations = []Situation{
	SitPickup, SitFollowupWarm, SitFollowupCold, SitOpeningOK, SitNoPurpose,
	SitSmallTalk, SitSituation, SitProblem, SitHint, SitMotive, SitNoNeed,
	SitLowTrust, SitOverProbe, SitRepeat, SitSummaryOK, SitSurfaceRejection,
	SitPitchVague, SitOfferAccept, SitObjectionHold, SitPriceAsk, SitPriceAccept,
	SitPriceHigh, SitTimeAccept, SitTimePostpone, SitTimeAsk, SitNotYet,
	SitDealDone, SitNextStepOK, SitPressureWarn, SitHangupPressure,
	SitHangupPatience, SitDecline, SitGoodbye, SitFiller,
}

// MinVariants is how many variants each situation needs per language.
const MinVariants = 2

// Scenario is what is being sold, with the milestone labels of its industry.
type Scenario struct {
	ID          string `json:"id" yaml:"id"`
	Name        Text   `json:"name" yaml:"name"`
	Product     Text   `json:"product" yaml:"product"`
	Description Text   `json:"description" yaml:"description"`
	// ListPrice is the price the trainee quotes without a concession.
	ListPrice float64 `json:"list_price" yaml:"list_price"`
	Currency  string  `json:"currency" yaml:"currency"`
	// MaxDiscount is the largest concession the company allows, as a
	// fraction of ListPrice (0.15 = 15%).
	MaxDiscount float64 `json:"max_discount" yaml:"max_discount"`
	// Discovery is false for simple products that go straight to the
	// presentation: then the need milestone is not required.
	Discovery  bool                         `json:"discovery" yaml:"discovery"`
	Milestones map[Milestone]MilestoneLabel `json:"milestones" yaml:"milestones"`
	Lines      map[Situation]Lines          `json:"-" yaml:"lines"`
	Source     string                       `json:"-" yaml:"-"`
	// Version fingerprints the file's content (set by the loader).
	Version string   `json:"version,omitempty" yaml:"-"`
	_       struct{} `json:"-" yaml:"-"`
}

// MilestoneLabel is how a scenario names a milestone, with optional
// industry-specific sub-steps (the lecture's "needs survey and proposal").
type MilestoneLabel struct {
	Label Text   `json:"label" yaml:"label"`
	Steps []Text `json:"steps,omitempty" yaml:"steps"`
}

// Persona is a simulated customer: a public profile, hidden state and the
// lines it speaks.
type Persona struct {
	ID         string      `json:"id" yaml:"id"`
	Scenario   string      `json:"scenario" yaml:"scenario"`
	Languages  []Lang      `json:"languages" yaml:"languages"`
	Difficulty string      `json:"difficulty" yaml:"difficulty"` // easy, medium, hard
	Profile    Profile     `json:"profile" yaml:"profile"`
	Hidden     Hidden      `json:"hidden" yaml:"hidden"`
	Objections []Objection `json:"objections" yaml:"objections"`
	// Lines override and extend the scenario's default lines.
	Lines  map[Situation]Lines `json:"-" yaml:"lines"`
	Source string              `json:"-" yaml:"-"`
	// Version fingerprints the file's content (set by the loader).
	Version string `json:"version,omitempty" yaml:"-"`
}

// Profile is what the trainee sees before dialling.
type Profile struct {
	Name    Text `json:"name" yaml:"name"`
	Role    Text `json:"role" yaml:"role"`
	Company Text `json:"company" yaml:"company"`
	Summary Text `json:"summary" yaml:"summary"`
}

// Hidden is the persona state a trainee sees only once the deal is over.
type Hidden struct {
	Urgency Urgency `json:"urgency" yaml:"urgency"`
	// Motive is empty for a persona with no motive: not a fit.
	Motive      Text `json:"motive" yaml:"motive"`
	SurfaceNeed Text `json:"surface_need" yaml:"surface_need"`
	// SurfaceOfferTrust, when above 0, is the trust this customer needs to
	// accept a presentation of its surface need alone (the engine's
	// surface_offer_trust otherwise).
	SurfaceOfferTrust int `json:"surface_offer_trust,omitempty" yaml:"surface_offer_trust"`
	// Budget is what the customer pays without hesitation; MaxBudget what
	// it stretches to once its urgent motive is established.
	Budget       float64 `json:"budget" yaml:"budget"`
	MaxBudget    float64 `json:"max_budget" yaml:"max_budget"`
	DecidesAlone bool    `json:"decides_alone" yaml:"decides_alone"`
	// Patience is roughly how many ordinary turns the customer gives a call.
	Patience int `json:"patience" yaml:"patience"`
	// Trust is the starting trust, 0 to 100.
	Trust int `json:"trust" yaml:"trust"`
	// NeedKeywords are words a pitch must touch to speak to this customer's
	// need ("in terms of that need").
	NeedKeywords Words `json:"need_keywords" yaml:"need_keywords"`
	// MotiveFacts are the distinctive facts of the motive (figures,
	// deadlines, names) that only the motive lines may say. Validate
	// rejects any other line, the persona's or the scenario's defaults,
	// that contains one, so a problem or hint line cannot give the motive
	// away. Optional; matched case-insensitively.
	MotiveFacts Words `json:"motive_facts,omitempty" yaml:"motive_facts"`
}

// HasMotive reports whether the persona has a motive at all.
func (h Hidden) HasMotive() bool {
	for _, s := range h.Motive {
		if strings.TrimSpace(s) != "" {
			return true
		}
	}
	return false
}

// ObjectionPhase says when an objection comes up.
type ObjectionPhase string

// Objection phases: while the product is presented, or at the commitment.
const (
	PhaseOffer ObjectionPhase = "offer"
	PhaseDeal  ObjectionPhase = "deal"
)

// Objection is a concern the customer raises and what resolves it.
type Objection struct {
	ID   string         `json:"id" yaml:"id"`
	Kind string         `json:"kind" yaml:"kind"` // price, timing, supplier, authority, trust, other
	At   ObjectionPhase `json:"at" yaml:"at"`
	// ResolvedBy lists the acts that can resolve it; Keywords, when given,
	// must also appear in the trainee's line (any one of them).
	ResolvedBy []Act `json:"resolved_by" yaml:"resolved_by"`
	Keywords   Words `json:"keywords,omitempty" yaml:"keywords"`
	// Lines raise the objection; Resolved accept the answer.
	Lines    Lines `json:"lines" yaml:"lines"`
	Resolved Lines `json:"resolved" yaml:"resolved"`
}

// ObjectionKinds lists the kinds an objection may have.
var ObjectionKinds = []string{"price", "timing", "supplier", "authority", "trust", "other"}

// FieldError says which field of which file is wrong and why.
type FieldError struct {
	File   string
	Field  string // empty when the file as a whole is wrong (bad YAML)
	Reason string
	// Line is the line in File the error points at, when known (0 if not).
	Line int
}

// Error implements error as "file: field: reason", followed by " (line N)"
// when the line is known; the field is left out when empty.
func (e *FieldError) Error() string {
	s := e.File + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	s += e.Reason
	if e.Line > 0 {
		s += fmt.Sprintf(" (line %d)", e.Line)
	}
	return s
}

func fieldErr(file, field, format string, args ...any) error {
	return &FieldError{File: file, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Validate checks a scenario on its own.
func (s *Scenario) Validate() error {
	f := s.Source
	switch {
	case s.ID == "" || strings.ContainsAny(s.ID, " /\\\t\n"):
		return fieldErr(f, "id", "must be a non-empty id without spaces or slashes")
	case s.Name.In(LangEN) == "":
		return fieldErr(f, "name", "is required")
	case s.Product.In(LangEN) == "":
		return fieldErr(f, "product", "is required")
	case s.ListPrice <= 0:
		return fieldErr(f, "list_price", "must be greater than 0")
	case s.MaxDiscount < 0 || s.MaxDiscount >= 1:
		return fieldErr(f, "max_discount", "must be at least 0 and below 1")
	}
	for _, m := range Milestones {
		if s.Milestones[m].Label.In(LangEN) == "" {
			return fieldErr(f, "milestones."+string(m)+".label", "is required")
		}
	}
	for m := range s.Milestones {
		if !slices.Contains(Milestones, m) {
			return fieldErr(f, "milestones."+string(m), "unknown milestone (want need, offer or deal)")
		}
	}
	return validateLines(f, "lines", s.Lines)
}

func validateLines(file, field string, lines map[Situation]Lines) error {
	for sit, l := range lines {
		if !slices.Contains(Situations, sit) && !slices.Contains(OptionalSituations, sit) {
			return fieldErr(file, field+"."+string(sit), "unknown situation")
		}
		for lang, vs := range l {
			if !lang.Valid() {
				return fieldErr(file, field+"."+string(sit)+"."+string(lang), "unknown language (want zh or en)")
			}
			for i, v := range vs {
				if strings.TrimSpace(v) == "" {
					return fieldErr(file, fmt.Sprintf("%s.%s.%s[%d]", field, sit, lang, i), "is empty")
				}
			}
		}
	}
	return nil
}

// Validate checks a persona against its scenario: every field, and that after
// merging the scenario's default lines every situation has at least
// MinVariants lines in every language the persona speaks.
func (p *Persona) Validate(sc *Scenario) error {
	f := p.Source
	if p.ID == "" || strings.ContainsAny(p.ID, " /\\\t\n") {
		return fieldErr(f, "id", "must be a non-empty id without spaces or slashes")
	}
	if sc == nil || sc.ID != p.Scenario {
		return fieldErr(f, "scenario", "unknown scenario %q", p.Scenario)
	}
	if len(p.Languages) == 0 {
		return fieldErr(f, "languages", "at least one language is required")
	}
	for i, l := range p.Languages {
		if !l.Valid() {
			return fieldErr(f, fmt.Sprintf("languages[%d]", i), "unknown language %q (want zh or en)", l)
		}
	}
	switch p.Difficulty {
	case "easy", "medium", "hard":
	default:
		return fieldErr(f, "difficulty", "must be easy, medium or hard, not %q", p.Difficulty)
	}
	for _, l := range p.Languages {
		if p.Profile.Name[l] == "" {
			return fieldErr(f, "profile.name."+string(l), "is required for every language the persona speaks")
		}
		if p.Profile.Summary[l] == "" {
			return fieldErr(f, "profile.summary."+string(l), "is required for every language the persona speaks")
		}
	}
	h := p.Hidden
	if !h.Urgency.Valid() {
		return fieldErr(f, "hidden.urgency", "must be low, medium or high, not %q", h.Urgency)
	}
	if h.HasMotive() {
		for _, l := range p.Languages {
			if strings.TrimSpace(h.Motive[l]) == "" {
				return fieldErr(f, "hidden.motive."+string(l), "is required for every language when the persona has a motive")
			}
		}
	} else if h.Urgency != UrgencyLow {
		return fieldErr(f, "hidden.motive", "a persona without a motive must have low urgency")
	}
	switch {
	case h.Budget <= 0:
		return fieldErr(f, "hidden.budget", "must be greater than 0")
	case h.MaxBudget < h.Budget:
		return fieldErr(f, "hidden.max_budget", "must be at least the budget (%g)", h.Budget)
	case h.Patience < 3 || h.Patience > 100:
		return fieldErr(f, "hidden.patience", "must be between 3 and 100")
	case h.Trust < 0 || h.Trust > 100:
		return fieldErr(f, "hidden.trust", "must be between 0 and 100")
	}
	if sc.Discovery && h.HasMotive() {
		for _, l := range p.Languages {
			if len(h.NeedKeywords[l]) == 0 {
				return fieldErr(f, "hidden.need_keywords."+string(l), "needs at least one keyword a pitch must touch")
			}
		}
	}
	seen := map[string]bool{}
	for i, o := range p.Objections {
		at := fmt.Sprintf("objections[%d]", i)
		if o.ID == "" || seen[o.ID] {
			return fieldErr(f, at+".id", "must be present and unique")
		}
		seen[o.ID] = true
		if !slices.Contains(ObjectionKinds, o.Kind) {
			return fieldErr(f, at+".kind", "must be one of %s, not %q", strings.Join(ObjectionKinds, ", "), o.Kind)
		}
		if o.At != PhaseOffer && o.At != PhaseDeal {
			return fieldErr(f, at+".at", "must be offer or deal, not %q", o.At)
		}
		if len(o.ResolvedBy) == 0 {
			return fieldErr(f, at+".resolved_by", "at least one act is required")
		}
		for j, a := range o.ResolvedBy {
			if !a.Valid() {
				return fieldErr(f, fmt.Sprintf("%s.resolved_by[%d]", at, j), "unknown act %q", a)
			}
		}
		for _, l := range p.Languages {
			if len(o.Lines[l]) < 1 {
				return fieldErr(f, at+".lines."+string(l), "at least one line is required")
			}
			if len(o.Resolved[l]) < 1 {
				return fieldErr(f, at+".resolved."+string(l), "at least one line is required")
			}
			if len(o.Keywords) > 0 && len(o.Keywords[l]) == 0 {
				return fieldErr(f, at+".keywords."+string(l), "keywords must be given for every language when given for one")
			}
		}
	}
	if err := validateLines(f, "lines", p.Lines); err != nil {
		return err
	}
	for _, sit := range Situations {
		if sit == SitMotive && !h.HasMotive() {
			continue
		}
		if sit == SitNoNeed && h.HasMotive() {
			continue
		}
		for _, l := range p.Languages {
			if n := len(p.LinesFor(sc, sit, l)); n < MinVariants {
				return fieldErr(f, "lines."+string(sit)+"."+string(l),
					"needs at least %d variants (here or in scenario %s), has %d", MinVariants, sc.ID, n)
			}
		}
	}
	if h.HasMotive() && sc.Discovery && (h.Urgency == UrgencyMedium || h.Urgency == UrgencyLow) {
		// The road to the lecture's diagnosis: such a customer may accept
		// a pitch of its surface need, and then postpones the time.
		for _, sit := range []Situation{SitSurfaceAccept, SitTimePostpone} {
			for _, l := range p.Languages {
				if n := len(p.LinesFor(sc, sit, l)); n < MinVariants {
					return fieldErr(f, "lines."+string(sit)+"."+string(l),
						"a %s-urgency customer with a motive needs at least %d variants (here or in scenario %s), has %d", h.Urgency, MinVariants, sc.ID, n)
				}
			}
		}
	}
	if h.HasMotive() && len(p.Lines[SitMotive]) == 0 {
		return fieldErr(f, "lines.motive", "a persona with a motive must voice it in its own lines")
	}
	return p.checkMotiveFacts(sc)
}

// checkMotiveFacts rejects any line other than the motive lines that says
// one of the persona's motive facts: only the motive may reveal the motive.
func (p *Persona) checkMotiveFacts(sc *Scenario) error {
	f := p.Source
	langs := make([]Lang, 0, len(p.Hidden.MotiveFacts))
	for lang := range p.Hidden.MotiveFacts {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		if !lang.Valid() {
			return fieldErr(f, "hidden.motive_facts."+string(lang), "unknown language (want zh or en)")
		}
		for i, fact := range p.Hidden.MotiveFacts[lang] {
			if strings.TrimSpace(fact) == "" {
				return fieldErr(f, fmt.Sprintf("hidden.motive_facts.%s[%d]", lang, i), "is empty")
			}
		}
	}
	for _, lang := range p.Languages {
		facts := p.Hidden.MotiveFacts[lang]
		leak := func(field, line, from string) error {
			low := strings.ToLower(line)
			for _, fact := range facts {
				if strings.Contains(low, strings.ToLower(fact)) {
					return fieldErr(f, field, "%sreveals the motive fact %q: only the motive lines may say it", from, fact)
				}
			}
			return nil
		}
		if len(facts) == 0 {
			continue
		}
		for _, sit := range slices.Concat(Situations, OptionalSituations) {
			if sit == SitMotive {
				continue
			}
			from := ""
			if len(p.Lines[sit][lang]) == 0 {
				from = "the default line of scenario " + sc.ID + " "
			}
			for i, l := range p.LinesFor(sc, sit, lang) {
				if err := leak(fmt.Sprintf("lines.%s.%s[%d]", sit, lang, i), l, from); err != nil {
					return err
				}
			}
		}
		for i, o := range p.Objections {
			for j, l := range o.Lines[lang] {
				if err := leak(fmt.Sprintf("objections[%d].lines.%s[%d]", i, lang, j), l, ""); err != nil {
					return err
				}
			}
			for j, l := range o.Resolved[lang] {
				if err := leak(fmt.Sprintf("objections[%d].resolved.%s[%d]", i, lang, j), l, ""); err != nil {
					return err
				}
			}
		}
		pr := p.Profile
		for _, t := range []struct {
			field string
			text  Text
		}{
			{"profile.name", pr.Name}, {"profile.role", pr.Role}, {"profile.company", pr.Company},
			{"profile.summary", pr.Summary}, {"hidden.surface_need", p.Hidden.SurfaceNeed},
		} {
			if err := leak(t.field+"."+string(lang), t.text[lang], ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// LinesFor returns the persona's lines for a situation in a language,
// falling back to the scenario's defaults.
func (p *Persona) LinesFor(sc *Scenario, sit Situation, lang Lang) []string {
	if vs := p.Lines[sit][lang]; len(vs) > 0 {
		return vs
	}
	if sc != nil {
		return sc.Lines[sit][lang]
	}
	return nil
}

// fallbackSituation is the situation whose lines an optional situation
// uses when neither the persona nor the scenario has lines for it.
func fallbackSituation(sit Situation) Situation {
	switch sit {
	case SitClarify:
		return SitFiller
	case SitSituationTeam, SitSituationTool, SitSituationProcess, SitSituationDecider, SitSituationVolume:
		return SitSituation
	case SitSurfaceAccept:
		return SitOfferAccept
	case SitFollowupOpening:
		return SitSmallTalk
	case SitFollowupSeen:
		return SitFollowupOpening
	}
	return ""
}

// Speaks reports whether the persona speaks lang.
func (p *Persona) Speaks(lang Lang) bool { return slices.Contains(p.Languages, lang) }

// PublicPersona is what a trainee may see of a persona before and during a
// deal: never the hidden state.
type PublicPersona struct {
	ID         string  `json:"id"`
	Scenario   string  `json:"scenario"`
	Languages  []Lang  `json:"languages"`
	Difficulty string  `json:"difficulty"`
	Profile    Profile `json:"profile"`
}

// Public returns the persona's public view.
func (p *Persona) Public() PublicPersona {
	return PublicPersona{ID: p.ID, Scenario: p.Scenario, Languages: p.Languages, Difficulty: p.Difficulty, Profile: p.Profile}
}

// Catalog is a validated set of scenarios and personas.
type Catalog struct {
	Scenarios map[string]*Scenario
	Personas  map[string]*Persona
}

// NewCatalog validates scenarios and personas together and indexes them.
func NewCatalog(scenarios []*Scenario, personas []*Persona) (*Catalog, error) {
	c := &Catalog{Scenarios: map[string]*Scenario{}, Personas: map[string]*Persona{}}
	for _, s := range scenarios {
		if err := s.Validate(); err != nil {
			return nil, err
		}
		if prev, ok := c.Scenarios[s.ID]; ok {
			return nil, fieldErr(s.Source, "id", "scenario %q is also defined in %s", s.ID, prev.Source)
		}
		c.Scenarios[s.ID] = s
	}
	for _, p := range personas {
		if err := p.Validate(c.Scenarios[p.Scenario]); err != nil {
			return nil, err
		}
		if prev, ok := c.Personas[p.ID]; ok {
			return nil, fieldErr(p.Source, "id", "persona %q is also defined in %s", p.ID, prev.Source)
		}
		c.Personas[p.ID] = p
	}
	return c, nil
}

// Persona returns a persona and its scenario by id.
func (c *Catalog) Persona(id string) (*Persona, *Scenario, error) {
	p, ok := c.Personas[id]
	if !ok {
		return nil, nil, Errorf(ENOTFOUND, "unknown persona %q", id)
	}
	return p, c.Scenarios[p.Scenario], nil
}

// PersonaIDs returns every persona id, sorted.
func (c *Catalog) PersonaIDs() []string {
	ids := make([]string, 0, len(c.Personas))
	for id := range c.Personas {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
