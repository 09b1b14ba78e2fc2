package main

import (
	"os"
	"strings"
	"testing"
)

// A bad setting is one line that names who set it — the CALLSIM_*
// variable, the flag, or the file and key — with the value and what is
// expected, and exit code 1; never a config.yaml that is not there.
func TestConfigErrorsNameTheSource(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		file string // config.yaml in the working directory; "" for none
		args []string
		want string // the whole of stderr
	}{
		{"a number from the environment", map[string]string{"CALLSIM_SERVER_LOGIN_ATTEMPTS": "abc"}, "", nil,
			`callsim: config: CALLSIM_SERVER_LOGIN_ATTEMPTS="abc": want a whole number`},
		{"a duration from the environment", map[string]string{"CALLSIM_SERVER_LOGIN_WINDOW": "5x"}, "", nil,
			`callsim: config: CALLSIM_SERVER_LOGIN_WINDOW="5x": want a duration such as 90s, 10m or 1h30m`},
		{"a bool from the environment", map[string]string{"CALLSIM_SERVER_SECURE_COOKIES": "yes"}, "", nil,
			`callsim: config: CALLSIM_SERVER_SECURE_COOKIES="yes": want true or false`},
		{"two bad variables", map[string]string{"CALLSIM_SERVER_SEND_QUEUE": "many", "CALLSIM_ENGINE_MAX_TURNS": "1.5.2"}, "", nil,
			`callsim: config: CALLSIM_ENGINE_MAX_TURNS="1.5.2": want a whole number; CALLSIM_SERVER_SEND_QUEUE="many": want a whole number`},
		{"the environment over a good file", map[string]string{"CALLSIM_SERVER_LOGIN_ATTEMPTS": "ten"}, "server:\n  login_attempts: 5\n", nil,
			`callsim: config: CALLSIM_SERVER_LOGIN_ATTEMPTS="ten": want a whole number`},
		{"a duration in the file", nil, "server:\n  session_ttl: 2 days\n", nil,
			`callsim: config: config.yaml: server.session_ttl="2 days": want a duration such as 90s, 10m or 1h30m`},
		{"a map entry in the file", nil, "score:\n  penalties:\n    pressure: lots\n", nil,
			`callsim: config: config.yaml: score.penalties.pressure="lots": want a whole number`},
		{"a value for a section", nil, "server: 8080\n", nil,
			`callsim: config: config.yaml: server=8080: want a section of keys`},
		{"an unknown key", nil, "engine:\n  max_turn: 3\n", nil,
			`callsim: config: config.yaml: unknown key engine.max_turn (did you mean engine.max_turns?)`},
		{"bad YAML", nil, "server: [\n", nil,
			`callsim: config: config.yaml: yaml: line 1: did not find expected node content`},
		{"out of range from the environment", map[string]string{"CALLSIM_SERVER_SEND_QUEUE": "0"}, "", nil,
			`callsim: config: CALLSIM_SERVER_SEND_QUEUE="0": server.send_queue must be at least 1`},
		{"out of range in the file", nil, "server:\n  send_queue: 0\n", nil,
			`callsim: config: config.yaml: server.send_queue must be at least 1`},
		{"out of range without a file", map[string]string{"CALLSIM_LOG_FORMAT": "xml"}, "", nil,
			`callsim: config: CALLSIM_LOG_FORMAT="xml": log.format must be text or json, not "xml"`},
		{"a flag", nil, "", []string{"serve", "--log", "loud"},
			`callsim: config: --log="loud": log.level must be debug, info, warn or error, not "loud"`},
		{"a missing --config", nil, "", []string{"personas", "--config", "none.yaml"},
			`callsim: config: none.yaml: no such file or directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			if tt.file != "" {
				if err := os.WriteFile("config.yaml", []byte(tt.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range tt.env {
				t.Setenv(k, v) // viper reads the process's environment
			}
			args := tt.args
			if args == nil {
				args = []string{"personas"}
			}
			code, out, errOut := runExit(t, args...)
			if code != 1 || errOut != tt.want+"\n" || out != "" {
				t.Errorf("callsim %s = exit %d, stderr %q; want exit 1, stderr %q", strings.Join(args, " "), code, errOut, tt.want)
			}
		})
	}
}
