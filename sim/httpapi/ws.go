package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/live"
)

// Websocket timing, as in gorilla/websocket's chat example.
const (
	writeWait  = 10 * time.Second
	pongWait   = 60 * time.Second
	pingPeriod = pongWait * 5 / 6
	closeGrace = time.Second // how long to wait for the peer's close frame
)

// Close codes beside the standard ones (docs/protocol.md).
const (
	closeTooSlow = 4008
	closeTaken   = 4009
)

// wsConn is one websocket connection: a thin translator between frames
// and the live-call service. Its read pump runs in the HTTP handler's
// goroutine and turns client messages into commands of its live.Session;
// its write pump is the only goroutine that writes to the connection, and
// writes the session's events, in order, as frames.
type wsConn struct {
	s     *Server
	ws    *websocket.Conn
	user  *sim.User
	token string // the login session the connection was opened with
	log   *slog.Logger
	sess  *live.Session

	quit     chan struct{} // closed to make the write pump close the connection
	quitOnce sync.Once
	// Set once, before quit is closed.
	closeCode int
	closeText string
	drain     bool
	readDone  chan struct{} // closed when the read pump has returned
	done      chan struct{} // closed when the write pump has returned

	// Read pump only.
	stopping     atomic.Bool
	hintsAllowed bool // the team allows hints
}

// handleWebsocket authenticates and upgrades GET /ws/v1.
func (s *Server) handleWebsocket(w http.ResponseWriter, r *http.Request) {
	if s.isClosing() {
		s.writeError(w, r, sim.Errorf(codeUnavailable, "the server is shutting down"))
		return
	}
	sess, err := s.session(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !s.originAllowed(r) {
		s.writeError(w, r, sim.Errorf(sim.EFORBIDDEN, "websocket from another origin"))
		return
	}
	if offered := websocket.Subprotocols(r); len(offered) > 0 && !slices.Contains(offered, Protocol) {
		s.writeError(w, r, sim.Errorf(sim.EINVALID, "unsupported subprotocol: offer %s", Protocol))
		return
	}
	up := websocket.Upgrader{
		// Reads use the HTTP server's buffer; writes take a buffer from the
		// pool only while writing: an idle call holds neither.
		ReadBufferSize:  0,
		WriteBufferSize: 4096,
		WriteBufferPool: &s.wsWriteBuffers,
		Subprotocols:    []string{Protocol},
		// The origin was checked above, with AllowedOrigins.
		CheckOrigin: func(*http.Request) bool { return true },
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			writeJSON(w, status, map[string]apiError{"error": {Code: sim.EINVALID, Message: reason.Error()}})
		},
	}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered
	}
	c := &wsConn{
		s: s, ws: ws, user: sess.User, token: sess.Token,
		log:      s.Logger.With(slog.Int64("user_id", sess.User.ID), slog.String("remote", r.RemoteAddr)),
		sess:     s.live.Open(sess.User, primaryTeam(sess.User), max(s.SendQueue, 1)),
		quit:     make(chan struct{}),
		readDone: make(chan struct{}),
		done:     make(chan struct{}),
	}
	if !s.addConn(c) {
		ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "shutting down"), time.Now().Add(time.Second))
		ws.Close()
		return
	}
	defer s.removeConn(c)

	go c.writePump()
	c.hintsAllowed = c.teamAllowsHints(s.baseCtx)
	c.sendMsg(helloMsg{Type: "hello", Protocol: Protocol, EngineVersion: sim.EngineVersion, User: sess.User,
		HintsAllowed: c.hintsAllowed, MaxMessageBytes: s.MaxMessageBytes})
	c.readPump()
	close(c.readDone)
	c.closeWith(websocket.CloseNormalClosure, "", false)
	<-c.done
	c.sess.Close() // the deal is let go after the command in flight
}

func (s *Server) addConn(c *wsConn) bool {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	if s.closing {
		return false
	}
	s.conns[c] = struct{}{}
	s.connWG.Add(1)
	s.metrics.connections.Inc()
	return true
}

func (s *Server) removeConn(c *wsConn) {
	s.liveMu.Lock()
	delete(s.conns, c)
	s.liveMu.Unlock()
	s.metrics.connections.Dec()
	s.connWG.Done()
}

// readPump reads client messages until the connection fails or closes.
func (c *wsConn) readPump() {
	limit := c.s.MaxMessageBytes
	if limit <= 0 {
		limit = DefaultMaxMessageBytes
	}
	// Messages up to four times the limit are read and answered with
	// too_large; larger ones close the connection (1009).
	c.ws.SetReadLimit(4 * limit)
	c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		mt, data, err := c.ws.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				c.log.Info("websocket message far too large; closing", slog.Int64("limit", 4*limit))
			} else if websocket.IsUnexpectedCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived) {
				c.log.Debug("websocket read", slog.Any("err", err))
			}
			return
		}
		c.ws.SetReadDeadline(time.Now().Add(pongWait))
		if !c.handleFrame(mt, data, limit) {
			return
		}
	}
}

// handleFrame handles one message; false stops the read pump.
func (c *wsConn) handleFrame(mt int, data []byte, limit int64) bool {
	if c.stopping.Load() {
		return false
	}
	if mt != websocket.TextMessage {
		c.sendError("", perr(wsBadJSON, "send JSON in text frames"))
		return true
	}
	// RFC 6455 section 8.1: a text frame that is not UTF-8 fails the
	// connection, with 1007 (gorilla/websocket does not check).
	if !utf8.Valid(data) {
		c.log.Info("websocket text message is not UTF-8; closing")
		c.closeWith(websocket.CloseInvalidFramePayloadData, "invalid UTF-8", true)
		return false
	}
	if int64(len(data)) > limit {
		c.sendError("", perr(wsTooLarge, "message larger than max_message_bytes; ignored"))
		return true
	}
	m, pe := decodeClientMsg(data)
	if pe == nil {
		pe = c.dispatch(c.s.baseCtx, m)
	}
	if pe != nil {
		c.sendError(m.ID, pe)
		if pe.Fatal {
			// The error is queued; the write pump sends it, then closes.
			c.closeWith(websocket.ClosePolicyViolation, pe.Code, true)
			return false
		}
	}
	return true
}

// dispatch turns one well-formed client message into a command; what
// answers it comes through the session's events.
func (c *wsConn) dispatch(ctx context.Context, m *clientMsg) *protoError {
	ss := c.sess
	switch m.Type {
	case msgPing:
		c.sendMsg(simpleMsg{Type: "pong", Re: m.ID})
	case msgHints:
		return c.setHints(ctx, m)
	case msgStart:
		hintErr := c.wantHints(ctx, m)
		ss.Start(ctx, m.ID, live.StartOptions{Persona: m.Persona, Lang: m.lang, Seed: m.Seed, Goal: m.goal})
		return hintErr
	case msgResume:
		hintErr := c.wantHints(ctx, m)
		ss.Resume(ctx, m.ID, m.Deal, m.Takeover)
		return hintErr
	case msgDial:
		ss.Dial(m.ID, m.Seq, m.goal)
	case msgSay:
		ss.Say(m.ID, m.Seq, m.Text)
	case msgHangup:
		ss.Hangup(m.ID, m.Seq)
	case msgFinish:
		ss.Finish(m.ID, m.Seq)
	default:
		return perr(wsUnknownType, "unknown message type")
	}
	return nil
}

// wantHints applies the hints field of start and resume.
func (c *wsConn) wantHints(ctx context.Context, m *clientMsg) *protoError {
	if m.Hints == nil {
		return nil
	}
	c.hintsAllowed = c.teamAllowsHints(ctx)
	c.sess.SetHints("", *m.Hints && c.hintsAllowed)
	if *m.Hints && !c.hintsAllowed {
		return perr(wsHintsOff, "your team has turned hints off")
	}
	return nil
}

func (c *wsConn) teamAllowsHints(ctx context.Context) bool {
	ts, err := c.s.Teams.TeamSettings(ctx, primaryTeam(c.user))
	if err != nil {
		c.log.Warn("team settings", slog.Any("err", err))
		return false
	}
	return !ts.HintsDisabled
}

func (c *wsConn) setHints(ctx context.Context, m *clientMsg) *protoError {
	c.hintsAllowed = c.teamAllowsHints(ctx)
	if *m.On && !c.hintsAllowed {
		c.sess.SetHints(m.ID, false)
		return perr(wsHintsOff, "your team has turned hints off")
	}
	c.sess.SetHints(m.ID, *m.On)
	return nil
}

// writePump writes the session's events and pings; it is the only writer.
func (c *wsConn) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.ws.Close()
		close(c.done)
	}()
	events := c.sess.Events()
	for {
		select {
		case e := <-events:
			if !c.deliver(e) {
				return
			}
		case <-ticker.C:
			if !c.write(websocket.PingMessage, nil) {
				return
			}
		case <-c.sess.Gone():
			if c.sess.Slow() {
				c.log.Warn("websocket client too slow; dropping it", slog.Int("queue", c.s.SendQueue))
				c.closeFrame(closeTooSlow, "too slow")
			} else {
				c.closeFrame(websocket.CloseNormalClosure, "")
			}
			return
		case <-c.quit:
			for c.drain {
				select {
				case e := <-events:
					if !c.deliver(e) {
						return
					}
					continue
				default:
				}
				break
			}
			c.closeFrame(c.closeCode, c.closeText)
			return
		}
	}
}

// deliver writes one event; false when the connection is to end (written
// or not).
func (c *wsConn) deliver(e live.Event) bool {
	v := c.frame(e)
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			c.log.Error("encode websocket message", slog.Any("err", err))
		} else if !c.write(websocket.TextMessage, b) {
			return false
		}
	}
	switch e := e.(type) {
	case live.TakenOver:
		c.closeFrame(closeTaken, "deal taken over")
		return false
	case live.Failed:
		if e.Fatal {
			c.closeFrame(websocket.ClosePolicyViolation, e.Code)
			return false
		}
	case live.Note:
		if e.Close != 0 {
			c.closeFrame(e.Close, e.Why)
			return false
		}
	}
	return true
}

// closeFrame sends the close frame and gives the peer a moment to answer
// it, so the connection ends cleanly rather than with a reset.
func (c *wsConn) closeFrame(code int, text string) {
	c.stopping.Store(true)
	c.ws.SetWriteDeadline(time.Now().Add(closeGrace))
	if c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, text)) == nil {
		select {
		case <-c.readDone:
		case <-time.After(closeGrace):
		}
	}
}

func (c *wsConn) write(mt int, b []byte) bool {
	c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	if err := c.ws.WriteMessage(mt, b); err != nil {
		c.log.Debug("websocket write", slog.Any("err", err))
		return false
	}
	return true
}

// closeWith asks the write pump to close the connection with a close
// code, after sending what is queued when drain is true. Only the first
// call counts.
func (c *wsConn) closeWith(code int, text string, drain bool) {
	c.quitOnce.Do(func() {
		c.closeCode, c.closeText, c.drain = code, text, drain
		close(c.quit)
	})
}

// sendMsg queues a message of the transport's own, in order with the
// deal's events.
func (c *wsConn) sendMsg(v any) { c.sess.Post(live.Note{V: v}) }

func (c *wsConn) sendError(re string, pe *protoError) {
	c.sendMsg(errorMsg{Type: "error", Re: re, Code: pe.Code, Message: pe.Message, Fatal: pe.Fatal})
}

// shutdown tells the client the server is stopping, after the answers to
// the commands in flight (the live service was closed first), and closes
// with 1001.
func (c *wsConn) shutdown() {
	c.stopping.Store(true)
	c.sess.Post(live.Note{V: simpleMsg{Type: "shutdown", Message: "the server is restarting; resume in a few seconds"},
		Close: websocket.CloseGoingAway, Why: "server shutting down"})
}

// endSession closes a connection whose login session ended (logout, a
// password change elsewhere, the user deleted), once the message in flight
// has been handled and stored.
func (c *wsConn) endSession(why string) {
	c.stopping.Store(true)
	c.sess.Post(live.Note{V: errorMsg{Type: "error", Code: wsSessionEnded, Message: why, Fatal: true},
		Close: websocket.ClosePolicyViolation, Why: "session ended"})
}

// dropConns ends the connections that match: their session is gone.
func (s *Server) dropConns(match func(*wsConn) bool, why string) {
	s.liveMu.Lock()
	var drop []*wsConn
	for c := range s.conns {
		if match(c) {
			drop = append(drop, c)
		}
	}
	s.liveMu.Unlock()
	for _, c := range drop {
		go c.endSession(why)
	}
}
