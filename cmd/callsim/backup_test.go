package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/sqlite"
)

// TestBackupCommand backs up a database that another connection (the
// server) holds open, restores the copy into a new data directory and
// reads it there.
func TestBackupCommand(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	mustUserCmd(t, "", "user", "add", "--data", dir, "--username", "alice", "--role", "trainee", "--team", "east", "--password", "alice-secret")

	// The server's connection stays open, with a deal being played.
	db, err := sqlite.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	users, deals := sqlite.NewUserService(db), sqlite.NewDealService(db)
	alice, err := users.FindUserByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	d := &sim.DealRecord{UserID: alice.ID, PersonaID: "st-wang-director", Scenario: "sales-training", Lang: sim.LangEN, Seed: 7}
	if err := deals.CreateDeal(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := deals.AppendTurn(ctx, d.ID, sim.Event{Seq: 1, Kind: sim.EventDial, Goal: sim.MilestoneNeed}, sim.DealSummary{Outcome: "none", InCall: true}); err != nil {
		t.Fatal(err)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	if err := os.Mkdir(restored, 0o700); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(restored, dbFile)
	got := mustUserCmd(t, "", "backup", "--data", dir, out)
	if !strings.Contains(got, "backed up "+filepath.Join(dir, dbFile)+" to "+out) {
		t.Errorf("backup printed %q", got)
	}

	// A second backup to the same file is refused; the first stays.
	before, _ := os.ReadFile(out)
	if _, err := runUserCmd(t, "", "backup", "--data", dir, out); err == nil || errors.Is(err, errUsage) {
		t.Errorf("backup to an existing file = %v; want a refusal that is not a usage error", err)
	}
	if after, _ := os.ReadFile(out); string(after) != string(before) {
		t.Errorf("a refused backup changed the existing file")
	}

	// The copy is a data directory of its own.
	if err := mustLogin(t, restored, "alice", "alice-secret"); err != nil {
		t.Errorf("login on the restored copy = %v", err)
	}
	list := mustUserCmd(t, "", "user", "list", "--data", restored)
	if !strings.Contains(list, "alice") {
		t.Errorf("user list on the restored copy = %q; want alice", list)
	}
	rdb, err := sqlite.Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	events, err := sqlite.NewDealService(rdb).Events(ctx, d.ID)
	if err != nil || len(events) != 1 {
		t.Errorf("Events(%s) on the copy = %v, %v; want the dial event", d.ID, events, err)
	}
}

func TestBackupCommandErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		args  []string
		usage bool
	}{
		{"no file", []string{"backup", "--data", dir}, true},
		{"two files", []string{"backup", "--data", dir, "a.db", "b.db"}, true},
		{"bad flag", []string{"backup", "--nope", "a.db"}, true},
		{"no database", []string{"backup", "--data", filepath.Join(dir, "empty"), filepath.Join(dir, "b.db")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runUserCmd(t, "", tt.args...)
			if err == nil || errors.Is(err, errUsage) != tt.usage {
				t.Errorf("callsim %s = %v; want an error (usage error: %v)", strings.Join(tt.args, " "), err, tt.usage)
			}
		})
	}
	// Backing up a data directory without a database does not create one.
	if _, err := os.Stat(filepath.Join(dir, "empty", dbFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stat of the missing database after backup = %v; want it still missing", err)
	}
}
