package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

// TestBackupUnderLoad backs up while writers append turns to their deals,
// then opens the copy: it passes SQLite's integrity check, it is one
// snapshot (each deal's last_seq matches its events), and it holds every
// event acknowledged before Backup was called.
func TestBackupUnderLoad(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	u := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	const writers, warmup = 8, 30
	ids := make([]string, writers)
	for i := range ids {
		ids[i] = e.MustDeal(t, u.ID, "p1").ID
	}
	acked := make([]atomic.Int64, writers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			for seq := 1; ; seq++ {
				select {
				case <-stop:
					return
				default:
				}
				err := e.deals.AppendTurn(ctx, id, sim.Event{Seq: seq, Kind: sim.EventSay, Text: "line of the trainee"},
					sim.DealSummary{Outcome: "none", Turns: seq, Score: seq % 100})
				if err != nil {
					t.Errorf("AppendTurn(%s, %d) = %v", id, seq, err)
					return
				}
				acked[i].Store(int64(seq))
			}
		})
	}
	defer func() {
		select {
		case <-stop:
		default:
			close(stop)
		}
		wg.Wait()
	}()
	deadline := time.Now().Add(20 * time.Second)
	for i := range acked {
		for acked[i].Load() < warmup {
			if time.Now().After(deadline) {
				t.Fatalf("writer %d acknowledged %d events in 20 s; want %d", i, acked[i].Load(), warmup)
			}
			time.Sleep(time.Millisecond)
		}
	}

	before := make([]int64, writers)
	for i := range acked {
		before[i] = acked[i].Load()
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := e.db.Backup(ctx, out); err != nil {
		t.Fatalf("Backup(%q) = %v", out, err)
	}
	var during int64
	for i := range acked {
		during += acked[i].Load() - before[i]
	}
	close(stop)
	wg.Wait()
	t.Logf("%d events acknowledged while the backup ran", during)

	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("backup mode = %v; want 0600 (it holds password hashes)", mode)
	}

	raw, err := sql.Open("sqlite", out+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check of the copy = %q, %v; want ok", check, err)
	}
	for i, id := range ids {
		var n, lastSeq int64
		if err := raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM events WHERE deal_id = ?", id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRowContext(ctx, "SELECT last_seq FROM deals WHERE id = ?", id).Scan(&lastSeq); err != nil {
			t.Fatal(err)
		}
		if n < before[i] {
			t.Errorf("copy of deal %d: %d events; want at least the %d acknowledged before the backup", i, n, before[i])
		}
		if n != lastSeq {
			t.Errorf("copy of deal %d: %d events but last_seq %d; want one snapshot", i, n, lastSeq)
		}
	}
	raw.Close()

	// The copy is a database callsim opens and goes on with.
	c := mustOpenAt(t, out, e.clock)
	events, err := c.deals.Events(ctx, ids[0])
	if err != nil || int64(len(events)) < before[0] {
		t.Fatalf("Events(copy) = %d events, %v; want at least %d", len(events), err, before[0])
	}
	next := sim.Event{Seq: len(events) + 1, Kind: sim.EventSay, Text: "after the restore"}
	if err := c.deals.AppendTurn(ctx, ids[0], next, sim.DealSummary{Outcome: "none"}); err != nil {
		t.Errorf("AppendTurn on the copy = %v", err)
	}
}

func TestBackupRefuses(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	dir := t.TempDir()
	existing := filepath.Join(dir, "taken.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		path string
	}{
		{"existing file", ctx, existing},
		{"empty existing file", ctx, mustEmptyFile(t, dir, "empty.db")},
		{"the database itself", ctx, e.path},
		{"missing directory", ctx, filepath.Join(dir, "no", "such", "dir", "b.db")},
		{"no name", ctx, ""},
		{"cancelled", cancelled, filepath.Join(dir, "cancelled.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := e.db.Backup(tt.ctx, tt.path); err == nil {
				t.Errorf("Backup(%q) = nil; want an error", tt.path)
			} else {
				t.Logf("Backup(%q) = %v", tt.path, err)
			}
		})
	}
	if b, err := os.ReadFile(existing); err != nil || string(b) != "keep me" {
		t.Errorf("existing file = %q, %v; want it untouched", b, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range entries {
		if n := de.Name(); n != "taken.db" && n != "empty.db" {
			t.Errorf("left behind %s; want no temporary file after a refused backup", n)
		}
	}
}

func mustEmptyFile(tb testing.TB, dir, name string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}
