package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callsim/callsim/sim"
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

// wsConn is one websocket connection. Its read pump runs in the HTTP
// handler's goroutine and handles client messages one at a time; its write
// pump is the only goroutine that writes to the connection.
type wsConn struct {
	s     *Server
	ws    *websocket.Conn
	user  *sim.User
	token string // the login session the connection was opened with
	log   *slog.Logger

	send     chan []byte   // bounded; full means the client is too slow
	quit     chan struct{} // closed to make the write pump close the connection
	quitOnce sync.Once
	// Set once, before quit is closed.
	closeCode int
	closeText string
	drain     bool
	readDone  chan struct{} // closed when the read pump has returned
	done      chan struct{} // closed when the write pump has returned

	// mu is held while one client message is handled, so that a shutdown
	// waits for the turn in flight to be stored.
	mu           sync.Mutex
	stopping     bool
	live         *liveDeal // the deal this connection drives, if any
	hints        bool      // the user asked for hints
	hintsAllowed bool      // the team allows them
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
		ReadBufferSize:  4096,
		WriteBufferSize: 4096,
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
		send:     make(chan []byte, max(s.SendQueue, 1)),
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
	c.mu.Lock()
	c.detach()
	c.mu.Unlock()
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopping {
		return false
	}
	if mt != websocket.TextMessage {
		c.sendError("", perr(wsBadJSON, "send JSON in text frames"))
		return true
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
			c.closeWith(websocket.ClosePolicyViolation, pe.Code, true)
			return false
		}
	}
	return true
}

// dispatch runs one well-formed client message.
func (c *wsConn) dispatch(ctx context.Context, m *clientMsg) *protoError {
	switch m.Type {
	case msgPing:
		c.sendMsg(simpleMsg{Type: "pong", Re: m.ID})
		return nil
	case msgHints:
		return c.setHints(ctx, m)
	case msgStart:
		return c.start(ctx, m)
	case msgResume:
		return c.resume(ctx, m)
	case msgDial:
		return c.input(ctx, m, sim.Event{Kind: sim.EventDial, Goal: m.goal})
	case msgSay:
		return c.input(ctx, m, sim.Event{Kind: sim.EventSay, Text: m.Text})
	case msgHangup:
		return c.input(ctx, m, sim.Event{Kind: sim.EventHangup})
	case msgFinish:
		return c.input(ctx, m, sim.Event{Kind: sim.EventFinish})
	}
	return perr(wsUnknownType, "unknown message type")
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
		c.hints = false
		return perr(wsHintsOff, "your team has turned hints off")
	}
	c.hints = *m.On
	if c.hints && c.live != nil {
		ld := c.live
		ld.mu.Lock()
		if !ld.closed && ld.deal != nil {
			c.sendHint(m.ID, ld, ld.deal.Scorecard())
		}
		ld.mu.Unlock()
	}
	return nil
}

// writePump writes queued messages and pings; it is the only writer.
func (c *wsConn) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.ws.Close()
		close(c.done)
	}()
	for {
		select {
		case b := <-c.send:
			if !c.write(websocket.TextMessage, b) {
				return
			}
		case <-ticker.C:
			if !c.write(websocket.PingMessage, nil) {
				return
			}
		case <-c.quit:
		drain:
			for c.drain {
				select {
				case b := <-c.send:
					if !c.write(websocket.TextMessage, b) {
						return
					}
				default:
					break drain
				}
			}
			c.ws.SetWriteDeadline(time.Now().Add(closeGrace))
			if c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, c.closeText)) == nil {
				// Give the peer a moment to answer the close frame, so the
				// connection ends cleanly rather than with a reset.
				select {
				case <-c.readDone:
				case <-time.After(closeGrace):
				}
			}
			return
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

// sendMsg queues a message without ever blocking: a client whose queue is
// full is too slow and is dropped. Nothing is lost by that: every answer is
// stored before it is queued.
func (c *wsConn) sendMsg(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.log.Error("encode websocket message", slog.Any("err", err))
		return
	}
	select {
	case <-c.quit:
		return
	default:
	}
	select {
	case c.send <- b:
	default:
		c.log.Warn("websocket client too slow; dropping it", slog.Int("queue", cap(c.send)))
		c.closeWith(closeTooSlow, "too slow", false)
	}
}

func (c *wsConn) sendError(re string, pe *protoError) {
	c.sendMsg(errorMsg{Type: "error", Re: re, Code: pe.Code, Message: pe.Message, Fatal: pe.Fatal})
}

// shutdown tells the client the server is stopping, once the message in
// flight has been handled and stored, and closes with 1001.
func (c *wsConn) shutdown() {
	c.mu.Lock()
	c.stopping = true
	c.mu.Unlock()
	c.sendMsg(simpleMsg{Type: "shutdown", Message: "the server is restarting; resume in a few seconds"})
	c.closeWith(websocket.CloseGoingAway, "server shutting down", true)
}

// endSession closes a connection whose login session ended (logout, a
// password change elsewhere, the user deleted), once the message in flight
// has been handled and stored.
func (c *wsConn) endSession(why string) {
	c.mu.Lock()
	c.stopping = true
	c.mu.Unlock()
	c.sendError("", &protoError{Code: wsSessionEnded, Message: why, Fatal: true})
	c.closeWith(websocket.ClosePolicyViolation, "session ended", true)
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

// kick closes a connection whose deal another connection took over.
func (c *wsConn) kick(dealID string) {
	c.sendError("", &protoError{Code: wsDealTaken, Message: "deal " + dealID + " was taken over by another connection", Fatal: true})
	c.closeWith(closeTaken, "deal taken over", true)
}
