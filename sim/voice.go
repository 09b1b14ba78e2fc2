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
