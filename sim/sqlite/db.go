// Package sqlite stores callsim's users, sessions, deals, scorecards, coaches'
// comments and overrides, and team settings in one SQLite file, through the
// pure-Go modernc.org/sqlite driver (no cgo).
//
// The file runs in WAL mode with synchronous=FULL, so a write that returned
// survives the process being killed; foreign keys are on and writers wait
// (busy_timeout) instead of failing while another connection or process
// (the CLI beside the server) holds the write lock.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base32"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeout is how long a statement waits for another writer.
const busyTimeout = 10 * time.Second

// timeFormat stores times in UTC with a fixed width, so that they sort and
// compare as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// DB is an open callsim database. Set its fields right after Open, before
// any service uses it.
type DB struct {
	db   *sql.DB // readers: many connections, deferred transactions
	w    *sql.DB // the writer: one connection, so writers queue in Go
	path string

	// Now returns the current time; tests replace it. Open sets time.Now.
	Now func() time.Time

	// Observe, when set, is called after each store operation with its
	// name (such as "deal.append_event") and how long it took.
	Observe func(op string, d time.Duration)

	// Location is where the days of TeamStats trends begin and end. Open
	// sets time.Local.
	Location *time.Location

	commits *committer // the one writer of events
}

// Open opens the database at path, creating its directory and file if
// needed, and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open db: unsupported path %q", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	// Password hashes and session hashes live here: readable by the owner
	// only. SQLite keeps the mode for its -wal and -shm files.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	f.Close()

	// Every pooled connection gets the same settings. Writes go through
	// a pool of one connection: writers queue in Go, first come first
	// served, instead of sleeping in SQLite's busy handler (which backs off
	// up to 100 ms and made turn latency spiky under load). _txlock=immediate
	// makes its transactions take the write lock at BEGIN, so another
	// process (the user command) waits on busy_timeout rather than failing.
	dsn := path + "?" + strings.Join([]string{
		"_pragma=busy_timeout(" + strconv.Itoa(int(busyTimeout/time.Millisecond)) + ")",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(FULL)",
		"_pragma=foreign_keys(ON)",
	}, "&")
	reader, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	writer, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		reader.Close()
		return nil, fmt.Errorf("open db: %w", err)
	}
	// Keep connections open between bursts: each new one repeats the
	// pragmas above.
	reader.SetMaxIdleConns(8)
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	db := &DB{db: reader, w: writer, path: path, Now: time.Now, Location: time.Local}
	if err := db.check(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open db %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open db %s: %w", path, err)
	}
	if db.commits, err = newCommitter(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open db %s: %w", path, err)
	}
	return db, nil
}

// check verifies that the settings took effect on both pools: durability
// depends on them.
func (db *DB) check(ctx context.Context) error {
	for _, pool := range []*sql.DB{db.db, db.w} {
		var mode string
		var sync, fk int
		if err := pool.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			return err
		}
		if err := pool.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
			return err
		}
		if err := pool.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			return err
		}
		if !strings.EqualFold(mode, "wal") || sync != 2 || fk != 1 {
			return fmt.Errorf("settings not applied: journal_mode=%s synchronous=%d foreign_keys=%d", mode, sync, fk)
		}
	}
	return nil
}

// Path returns the file the database lives in.
func (db *DB) Path() string { return db.path }

// Close closes the database.
func (db *DB) Close() error {
	if db.commits != nil {
		db.commits.close()
	}
	werr, rerr := db.w.Close(), db.db.Close()
	if err := errors.Join(werr, rerr); err != nil {
		return fmt.Errorf("close db: %w", err)
	}
	return nil
}

// SchemaVersion returns the number of the last migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// migration is one numbered .sql file of migrations/.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNNN_name.sql in order of their numbers.
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		b, err := migrations.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the migrations the database lacks, each in its own
// transaction together with its schema_version row.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range ms {
		if err := db.apply(ctx, m, len(ms)); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, m migration, latest int) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Read the version inside the write transaction: another process may
	// have migrated meanwhile.
	var cur int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&cur); err != nil {
		return err
	}
	if cur > latest {
		return fmt.Errorf("database schema version %d is newer than this callsim knows (%d)", cur, latest)
	}
	if cur >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
		m.version, formatTime(db.now())); err != nil {
		return err
	}
	return tx.Commit()
}

// now returns the current time in UTC.
func (db *DB) now() time.Time {
	if db.Now == nil {
		return time.Now().UTC()
	}
	return db.Now().UTC()
}

// observe reports an operation that began at start; use it with defer.
func (db *DB) observe(op string, start time.Time) {
	if db.Observe != nil {
		db.Observe(op, time.Since(start))
	}
}

// formatTime formats t for storage.
func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// parseTime parses a stored time.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad stored time %q: %w", s, err)
	}
	return t, nil
}

// timeScanner scans a stored time into *t.
type timeScanner struct{ t *time.Time }

// Scan implements sql.Scanner.
func (s timeScanner) Scan(v any) error {
	var str string
	switch v := v.(type) {
	case string:
		str = v
	case []byte:
		str = string(v)
	default:
		return fmt.Errorf("stored time is %T, not text", v)
	}
	t, err := parseTime(str)
	if err != nil {
		return err
	}
	*s.t = t
	return nil
}

// scanTime returns a sql.Scanner that fills *t from a stored time.
func scanTime(t *time.Time) sql.Scanner { return timeScanner{t} }

// isConstraint reports whether err is the SQLite constraint error code
// (an extended code such as SQLITE_CONSTRAINT_UNIQUE).
func isConstraint(err error, code int) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == code
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	return isConstraint(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) || isConstraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool {
	return isConstraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY)
}

// randomBytes returns n bytes from crypto/rand.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return b
}

// idEncoding spells random ids in lower-case base32, without padding.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
