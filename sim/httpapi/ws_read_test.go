package httpapi

import (
	"errors"
	"testing"

	"github.com/gorilla/websocket"
)

// RFC 6455 section 8.1: a text frame that is not UTF-8 closes with 1007.
func TestWebsocketInvalidUTF8Closes1007(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
	}{
		{"invalid bytes", []byte{0xff, 0xfe, 0xfd}},
		{"invalid inside JSON", []byte(`{"type":"say","id":"c1","text":"hi ` + "\xc3\x28" + `"}`)},
		{"a cut rune", []byte(`{"type":"ping","id":"` + "\xe4\xbd" + `"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			w := e.login("anna").dial()
			w.start("need")
			if err := w.c.WriteMessage(websocket.TextMessage, tt.data); err != nil {
				t.Fatalf("write: %v", err)
			}
			m, err := w.read()
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseInvalidFramePayloadData {
				t.Fatalf("read after a text frame of %q = %v, %v; want close 1007", tt.data, m, err)
			}
		})
	}
	t.Run("valid UTF-8 that is not JSON stays open", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		w := e.login("anna").dial()
		w.c.WriteMessage(websocket.TextMessage, []byte("你好"))
		w.expectError(wsBadJSON)
		w.ping()
	})
}
