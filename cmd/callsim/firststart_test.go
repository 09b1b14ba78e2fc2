package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// runMainOnce runs Main once on addr with its data in dir and returns it,
// what it printed and the error of Run; the caller closes it.
func runMainOnce(t *testing.T, dir, addr string) (*Main, *bytes.Buffer, error) {
	t.Helper()
	cfg, err := loadConfig(flagSetFor(t, "--addr", addr, "--data", dir), "", Env{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	out := &bytes.Buffer{}
	m := NewMain(cfg, Env{Stdout: out, Stderr: io.Discard}, slog.New(slog.DiscardHandler))
	m.BcryptCost = 4
	err = m.Run(context.Background())
	t.Cleanup(func() { m.Close(context.Background()) })
	return m, out, err
}

// A busy port on the very first start fails before the database exists,
// so that no admin password is made and lost; the next start makes it.
func TestServeBusyPortOnFirstStart(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := busy.Addr().String()
	data := filepath.Join(t.TempDir(), "data")

	m, out, err := runMainOnce(t, data, addr)
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("Run on busy %s = %v; want EADDRINUSE", addr, err)
	}
	for _, want := range []string{addr, "already running", "server.addr"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Run on busy %s = %q; want it to say %q", addr, err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("Run error %q spans lines", err)
	}
	if _, serr := os.Stat(data); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("a start on a busy port left the data directory %s (%v); want nothing on disk", data, serr)
	}
	if m.AdminPassword != "" || out.Len() != 0 {
		t.Errorf("a start on a busy port printed %q, admin password %q; want nothing", out, m.AdminPassword)
	}
	m.Close(context.Background())

	busy.Close()
	s := startMainAt(t, data, addr)
	if s.admin == "" || !strings.Contains(s.out.String(), "password: "+s.admin) {
		t.Fatalf("first start after the port was freed printed %q; want the admin password", s.out)
	}
	login(t, s.url, "admin", s.admin)
}

// A busy metrics port also fails before the disk is touched.
func TestHoldPorts(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name    string
		addrs   []string
		wantErr string
	}{
		{"port 0 and an empty address are not held", []string{"server.addr", "127.0.0.1:0", "server.metrics_addr", ""}, ""},
		{"busy metrics port", []string{"server.addr", "127.0.0.1:0", "server.metrics_addr", busy.Addr().String()}, "choose another server.metrics_addr (CALLSIM_SERVER_METRICS_ADDR)"},
		{"busy server port", []string{"server.addr", busy.Addr().String()}, "cannot listen on " + busy.Addr().String() + ": bind: address already in use: is callsim already running? Stop it, or choose another server.addr (--addr or CALLSIM_SERVER_ADDR)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release, err := holdPorts(tt.addrs...)
			defer release()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("holdPorts(%q) = %v", tt.addrs, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, syscall.EADDRINUSE) {
				t.Errorf("holdPorts(%q) = %v; want EADDRINUSE saying %q", tt.addrs, err, tt.wantErr)
			}
		})
	}
	// A held port is given back for the server to bind.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	release, err := holdPorts("server.addr", addr)
	if err != nil {
		t.Fatalf("holdPorts(%s) = %v", addr, err)
	}
	release()
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s after release = %v", addr, err)
	}
	ln.Close()
}

// `callsim user add` before the first start: the server still creates an
// admin, and says why.
func TestServeUsersAddedBeforeFirstStart(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out, _, err := runCmd(t, "", "user", "add", "--data", data, "--username", "anna", "--role", "trainee", "--password", "long-enough")
	if err != nil {
		t.Fatalf("user add: %v", err)
	}
	if !strings.Contains(out, "There is no administrator yet") || !strings.Contains(out, "--role admin") {
		t.Errorf("user add without an admin printed %q; want a word on the missing administrator", out)
	}

	s := startMain(t, data)
	for _, want := range []string{"No administrator yet (the database holds 1 other account(s)", "password: " + s.admin, "callsim user add"} {
		if s.admin == "" || !strings.Contains(s.out.String(), want) {
			t.Errorf("first start after user add printed %q; want %q", s.out, want)
		}
	}
	login(t, s.url, "admin", s.admin)
	login(t, s.url, "anna", "long-enough")
	s.close()

	again := startMain(t, data)
	if again.admin != "" || strings.Contains(again.out.String(), "password") {
		t.Errorf("second start printed %q; want no new password", again.out)
	}

	// With an admin, user add says nothing about it.
	out, _, err = runCmd(t, "", "user", "add", "--data", data, "--username", "bob", "--role", "trainee", "--password", "long-enough")
	if err != nil || strings.Contains(out, "administrator") {
		t.Errorf("user add with an admin = %q, %v; want no word on administrators", out, err)
	}
}

// When "admin" is taken by an account that is no admin, nothing is
// created, and the server says how to make an administrator.
func TestServeAdminNameTaken(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if _, _, err := runCmd(t, "", "user", "add", "--data", data, "--username", "admin", "--role", "coach", "--password", "long-enough"); err != nil {
		t.Fatal(err)
	}
	s := startMain(t, data)
	out := s.out.String()
	if s.admin != "" || strings.Contains(out, "password:") {
		t.Errorf("start printed %q, admin password %q; want none created", out, s.admin)
	}
	for _, want := range []string{`username "admin" belongs to a coach`, "callsim user add --data " + data + " --username NAME --role admin"} {
		if !strings.Contains(out, want) {
			t.Errorf("start printed %q; want %q", out, want)
		}
	}
}
