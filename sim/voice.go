package sim

import "context"

// Voice rewords the line the engine chose for the customer, for a richer
// conversation. The engine has already decided what happens; a voice never
// changes it, and it is given only what the customer may say: the public
// profile, the recent conversation and the line itself — never the hidden
// state.
type Voice interface {
	Rephrase(ctx context.Context, req VoiceRequest) (string, error)
}

// VoiceRequest is what a Voice may know when it rewords a line.
type VoiceRequest struct {
	Lang      Lang
	Persona   PublicPersona
	Situation Situation
	// Line is the engine's line; the rewording must say the same thing.
	Line string
	// History is the conversation so far in this call, oldest first.
	History []VoiceTurn
}

// VoiceTurn is one exchange of the conversation a Voice sees.
type VoiceTurn struct {
	Trainee  string
	Customer string
}

// voiceUsageKey carries, in the context of a Rephrase, where the voice
// reports the tokens its model spent.
type voiceUsageKey struct{}

// WithVoiceUsage returns a context whose Rephrase calls report the tokens
// the voice's model spent to f.
func WithVoiceUsage(ctx context.Context, f func(tokens int)) context.Context {
	return context.WithValue(ctx, voiceUsageKey{}, f)
}

// ReportVoiceUsage tells the caller of a Rephrase, if it asked
// (WithVoiceUsage), how many tokens the model spent.
func ReportVoiceUsage(ctx context.Context, tokens int) {
	if f, ok := ctx.Value(voiceUsageKey{}).(func(int)); ok && tokens > 0 {
		f(tokens)
	}
}
