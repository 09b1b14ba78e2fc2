package sim

// Accessors for the external tests (package sim_test), which cannot import
// sim/understand from inside package sim without an import cycle.

// TestTrust is the customer's trust.
func (d *Deal) TestTrust() int { return d.trust }

// TestSetTrust sets the customer's trust.
func (d *Deal) TestSetTrust(v int) { d.trust = v }

// TestCommitment is the price and time agreed so far.
func (d *Deal) TestCommitment() Commitment { return d.commitment }

// TestTranscript is the deal's transcript.
func (d *Deal) TestTranscript() []TranscriptTurn { return d.transcript }

// TestPatience is the patience left in the current call.
func (d *Deal) TestPatience() int { return d.call().patience }

// TestRules are the deal's rules.
func (d *Deal) TestRules() Rules { return d.cfg.Rules }

// TestObjectionResolved reports whether objection i is resolved.
func (d *Deal) TestObjectionResolved(i int) bool { return d.objections[i].resolved }

// TestPressure is how often the customer was pressured.
func (d *Deal) TestPressure() int { return d.pressure }

// TestSetPatience sets the patience left in the current call.
func (d *Deal) TestSetPatience(v int) { d.call().patience = v }

// NextStepKindForTest is nextStepKind.
func NextStepKindForTest(s string, lang Lang) string { return nextStepKind(s, lang) }
