package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/callsim/callsim/sim"
)

// maxBatch bounds how many appends one transaction commits.
const maxBatch = 512

// appendReq is one event waiting to be committed, with what it changes in
// the deal's row.
type appendReq struct {
	ctx    context.Context
	dealID string
	e      sim.Event
	sum    *sim.DealSummary
	card   sql.NullString // the full scorecard's JSON, when given
	// findings counts the full scorecard's finding codes by severity.
	findings map[[2]string]int
	// create, when set, is a new deal to insert instead of an event (its
	// Team is filled in from its trainee when empty).
	create *sim.DealRecord
	// voice, when set, records what the LLM voice did for event e.Seq
	// instead of appending e.
	voice     *sim.VoiceNote
	createdAt time.Time
	done      chan error
}

// committer is the database's one writer of events: it takes every pending
// append from all live deals and commits them in one transaction, one
// fsync per batch, and answers each append only after the transaction
// holding it has committed.
type committer struct {
	db    *DB
	reqs  chan *appendReq
	quit  chan struct{}
	done  chan struct{}
	stmts map[string]*sql.Stmt

	mu     sync.RWMutex // held to queue an append; closing takes it alone
	closed bool

	// afterCommit, when set (tests), runs after a batch has committed and
	// before its appends are answered.
	afterCommit func(n int)
}

// Statements of the committer, prepared once on the writer connection.
var commitSQL = map[string]string{
	"deal":    "SELECT last_seq, over FROM deals WHERE id = ?",
	"event":   "INSERT INTO events (deal_id, seq, kind, goal, text, at) VALUES (?, ?, ?, ?, ?, ?)",
	"bare":    "UPDATE deals SET last_seq = ?, updated_at = ?, over = ? WHERE " + nextEvent,
	"turn":    "UPDATE deals SET last_seq = ?, updated_at = ?, over = ?, " + summarySet + " WHERE " + nextEvent,
	"full":    "UPDATE deals SET last_seq = ?, updated_at = ?, over = ?, " + summarySet + ", scorecard = ?, scorecard_seq = ? WHERE " + nextEvent,
	"unevent": "DELETE FROM events WHERE deal_id = ? AND seq = ?",
	"unfind":  "DELETE FROM deal_findings WHERE deal_id = ?",
	"find":    "INSERT INTO deal_findings (deal_id, code, severity, n) VALUES (?, ?, ?, ?)",
	"team":    "SELECT team FROM users WHERE id = ?",
	"voice":   "UPDATE events SET shown = ?, voice_reason = ?, voice_ms = ?, voice_tokens = ? WHERE deal_id = ? AND seq = ?",
	"voice+":  "UPDATE deals SET voiced_turns = voiced_turns + ?, voice_dropped = voice_dropped + ?, voice_ms = voice_ms + ?, voice_tokens = voice_tokens + ? WHERE id = ?",
	"deal+":   "INSERT INTO deals (id, user_id, team, persona_id, scenario, lang, seed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"save":    "SAVEPOINT turn",
	"undo":    "ROLLBACK TO turn",
	"keep":    "RELEASE turn",
}

// nextEvent matches the deal row only when the event is its next one and
// the deal is not over: the update is the check.
const nextEvent = "id = ? AND last_seq = ? AND over = 0"

// summarySet sets the summary columns from summaryArgs.
const summarySet = `engine_version = ?, persona_version = ?, outcome = ?, furthest = ?, score = ?, calls = ?, turns = ?, in_call = ?,
	price_agreed = ?, time_agreed = ?,
	need_call = ?, need_turns = ?, offer_call = ?, offer_turns = ?, deal_call = ?, deal_turns = ?`

func summaryArgs(s *sim.DealSummary) []any {
	args := []any{s.EngineVersion, s.PersonaVersion, s.Outcome, s.Furthest, s.Score, s.Calls, s.Turns, s.InCall, s.Price, s.Time}
	for _, m := range sim.Milestones {
		p := s.Pace[m]
		args = append(args, p.Call, p.Turns)
	}
	return args
}

func newCommitter(ctx context.Context, db *DB) (*committer, error) {
	c := &committer{db: db, reqs: make(chan *appendReq, maxBatch), quit: make(chan struct{}), done: make(chan struct{}),
		stmts: map[string]*sql.Stmt{}}
	for name, q := range commitSQL {
		st, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			c.closeStmts()
			return nil, fmt.Errorf("prepare %s: %w", name, err)
		}
		c.stmts[name] = st
	}
	go c.run()
	return c, nil
}

func (c *committer) closeStmts() {
	for _, st := range c.stmts {
		st.Close()
	}
}

// close stops the writer once the appends already queued are committed;
// later appends fail.
func (c *committer) close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	close(c.quit)
	c.mu.Unlock()
	<-c.done
	c.closeStmts()
}

// errClosed answers appends made after the database was closed.
var errClosed = errors.New("database closed")

// submit queues an append and waits for its transaction to commit.
func (c *committer) submit(r *appendReq) error {
	r.done = make(chan error, 1)
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return fmt.Errorf("append event: %w", errClosed)
	}
	c.reqs <- r // the writer drains the queue even while closing
	c.mu.RUnlock()
	// Once queued, the append is committed or refused promptly: wait for
	// the answer even if the caller's context ends, so that an
	// acknowledged turn is always a committed one.
	return <-r.done
}

func (c *committer) run() {
	defer close(c.done)
	batch := make([]*appendReq, 0, maxBatch)
	for {
		select {
		case r := <-c.reqs:
			batch = append(batch[:0], r)
		case <-c.quit:
			// Nothing more is queued once quit is closed: commit what is,
			// then stop.
			for {
				batch = batch[:0]
			rest:
				for len(batch) < maxBatch {
					select {
					case r := <-c.reqs:
						batch = append(batch, r)
					default:
						break rest
					}
				}
				if len(batch) == 0 {
					return
				}
				c.commit(batch)
			}
		}
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-c.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		c.commit(batch)
	}
}

// commit writes a batch in one transaction. An append that fails (a seq
// taken, a deal over) is rolled back to its savepoint alone.
func (c *committer) commit(batch []*appendReq) {
	defer c.db.observe("deal.commit_batch", time.Now())
	errs := make([]error, len(batch))
	ctx := context.Background()
	tx, err := c.db.w.BeginTx(ctx, nil)
	if err != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("append event: %w", err)
		}
		return
	}
	defer tx.Rollback()
	stmts := map[string]*sql.Stmt{}
	stmt := func(name string) *sql.Stmt {
		if st := stmts[name]; st != nil {
			return st
		}
		st := tx.StmtContext(ctx, c.stmts[name])
		stmts[name] = st
		return st
	}
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			errs[i] = fmt.Errorf("append event: %w", err)
			continue
		}
		if !r.card.Valid {
			// A turn or a new deal writes nothing when it fails.
			errs[i] = c.apply(ctx, stmt, r)
			continue
		}
		// A call's end writes its findings too: a savepoint undoes all of
		// it if any part fails.
		if _, err := stmt("save").ExecContext(ctx); err != nil {
			errs[i] = fmt.Errorf("append event: %w", err)
			continue
		}
		if errs[i] = c.apply(ctx, stmt, r); errs[i] != nil {
			if _, err := stmt("undo").ExecContext(ctx); err != nil {
				errs[i] = errors.Join(errs[i], err)
			}
		}
		if _, err := stmt("keep").ExecContext(ctx); err != nil && errs[i] == nil {
			errs[i] = fmt.Errorf("append event: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("append event: commit: %w", err)
			}
		}
	}
	if c.afterCommit != nil {
		c.afterCommit(len(batch))
	}
	for i, r := range batch {
		r.done <- errs[i]
	}
}

// apply writes one append inside the batch's transaction.
func (c *committer) apply(ctx context.Context, stmt func(string) *sql.Stmt, r *appendReq) error {
	if v := r.voice; v != nil {
		res, err := stmt("voice").ExecContext(ctx, v.Shown, v.Reason, v.Millis, v.Tokens, r.dealID, r.e.Seq)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sim.Errorf(sim.ENOTFOUND, "deal %s has no event %d", r.dealID, r.e.Seq)
		}
		dropped := 0
		if v.Reason != "" {
			dropped = 1
		}
		_, err = stmt("voice+").ExecContext(ctx, 1-dropped, dropped, v.Millis, v.Tokens, r.dealID)
		return err
	}
	if d := r.create; d != nil {
		var team string
		err := stmt("team").QueryRowContext(ctx, d.UserID).Scan(&team)
		if errors.Is(err, sql.ErrNoRows) {
			return sim.Errorf(sim.ENOTFOUND, "user not found")
		} else if err != nil {
			return err
		}
		if d.Team == "" {
			d.Team = team
		}
		at := formatTime(r.createdAt)
		_, err = stmt("deal+").ExecContext(ctx, d.ID, d.UserID, d.Team, d.PersonaID, d.Scenario, string(d.Lang), d.Seed, at, at)
		if isUnique(err) {
			return sim.Errorf(sim.ECONFLICT, "deal %s already exists", d.ID)
		}
		return err
	}
	e := r.e
	_, err := stmt("event").ExecContext(ctx, r.dealID, e.Seq, string(e.Kind), string(e.Goal), e.Text, formatTime(e.At))
	switch {
	case isUnique(err):
		return fmt.Errorf("append event: %w", sim.Errorf(sim.ECONFLICT, "deal %s: event %d exists", r.dealID, e.Seq))
	case isForeignKey(err):
		return fmt.Errorf("append event: %w", sim.Errorf(sim.ENOTFOUND, "deal %s not found", r.dealID))
	case err != nil:
		return fmt.Errorf("append event: %w", err)
	}
	// The deal is over after a finish event or once the engine says so.
	head := []any{e.Seq, formatTime(c.db.now()), e.Kind == sim.EventFinish || r.sum != nil && r.sum.Over}
	where := []any{r.dealID, e.Seq - 1}
	var res sql.Result
	switch {
	case r.card.Valid:
		res, err = stmt("full").ExecContext(ctx, append(append(append(head, summaryArgs(r.sum)...), r.card, e.Seq), where...)...)
	case r.sum != nil:
		res, err = stmt("turn").ExecContext(ctx, append(append(head, summaryArgs(r.sum)...), where...)...)
	default:
		res, err = stmt("bare").ExecContext(ctx, append(head, where...)...)
	}
	if err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		// Not the next event, or the deal is over: take the event back and
		// say why.
		if _, err := stmt("unevent").ExecContext(ctx, r.dealID, e.Seq); err != nil {
			return fmt.Errorf("append event: %w", err)
		}
		var last int
		var over bool
		if err := stmt("deal").QueryRowContext(ctx, r.dealID).Scan(&last, &over); err != nil {
			return fmt.Errorf("append event: %w", err)
		}
		if over {
			return fmt.Errorf("append event: %w", sim.Errorf(sim.ECONFLICT, "deal %s is over", r.dealID))
		}
		return fmt.Errorf("append event: %w", sim.Errorf(sim.ECONFLICT, "deal %s: event %d is not next (last is %d)", r.dealID, e.Seq, last))
	}
	if r.card.Valid {
		if _, err := stmt("unfind").ExecContext(ctx, r.dealID); err != nil {
			return fmt.Errorf("append event: %w", err)
		}
		for k, n := range r.findings {
			if _, err := stmt("find").ExecContext(ctx, r.dealID, k[0], k[1], n); err != nil {
				return fmt.Errorf("append event: %w", err)
			}
		}
	}
	return nil
}

// newAppend checks an event and prepares its append: with a full
// scorecard (sc), or with the summary alone (sum), or neither.
func newAppend(ctx context.Context, dealID string, e sim.Event, sum *sim.DealSummary, sc *sim.Scorecard, now time.Time) (*appendReq, error) {
	if err := validEvent(e); err != nil {
		return nil, err
	}
	if e.At.IsZero() {
		e.At = now
	}
	r := &appendReq{ctx: ctx, dealID: dealID, e: e, sum: sum}
	if sc != nil {
		b, err := json.Marshal(sc)
		if err != nil {
			return nil, fmt.Errorf("scorecard: %w", err)
		}
		s := sc.Summary()
		r.sum, r.card = &s, sql.NullString{String: string(b), Valid: true}
		r.findings = map[[2]string]int{}
		for _, f := range sc.Findings {
			r.findings[[2]string{f.Code, f.Severity}]++
		}
	}
	return r, nil
}
