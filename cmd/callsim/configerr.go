package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// configSource says where each setting came from, so that a bad value is
// blamed on the flag, the CALLSIM_* variable or the file and key that set
// it, with the value and what is expected, on one line.
type configSource struct {
	v     *viper.Viper
	file  string            // the config file read; "" when there was none
	flags map[string]string // key → "--flag" for the flags that set one
}

// envName is the variable viper reads for key: CALLSIM_SERVER_ADDR.
func envName(key string) string {
	return "CALLSIM_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// blame says who set key, with the value: `CALLSIM_X="v"`, `--addr="v"`,
// `config.yaml: server.addr="v"`; ok is false for a default.
func (s configSource) blame(key string) (who string, ok bool) {
	if f, ok := s.flags[key]; ok {
		return f + "=" + strconv.Quote(s.v.GetString(key)), true
	}
	// viper reads the process's environment, and ignores empty variables.
	if val, ok := os.LookupEnv(envName(key)); ok && val != "" {
		return envName(key) + "=" + strconv.Quote(val), true
	}
	if s.file != "" && s.v.InConfig(key) {
		return s.file + ": " + key + "=" + formatValue(s.v.Get(key)), true
	}
	return key + "=" + formatValue(s.v.Get(key)), false
}

func formatValue(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%v", v)
}

// fileError explains a config file that cannot be read or parsed.
func fileError(path string, fromEnv bool, err error) error {
	name := path
	if fromEnv {
		name = "CALLSIM_CONFIG=" + strconv.Quote(path)
	}
	var pe *fs.PathError
	var parse viper.ConfigParseError
	switch {
	case errors.As(err, &pe):
		err = pe.Err // the path is said already
	case errors.As(err, &parse) && parse.Unwrap() != nil:
		err = parse.Unwrap() // "yaml: line 3: …", without "While parsing config"
	}
	return fmt.Errorf("config: %s: %w", name, err)
}

// namedError is how mapstructure, which viper decodes with, reports one
// bad key: its DecodeError has the key's dotted name
// ("server.login_attempts", "score.penalties[pressure]") and wraps the
// cause.
type namedError interface {
	error
	Name() string
	Unwrap() error
}

// decodeError turns viper's decoding error — a multi-line list of
// mapstructure errors that leaves out the bad value — into one line with,
// for each bad key, who set it, the value and what is expected.
func (s configSource) decodeError(err error) error {
	var parts []string
	for _, e := range namedErrors(err) {
		parts = append(parts, s.explain(e))
	}
	if len(parts) == 0 {
		return fmt.Errorf("config: %s", strings.Join(strings.Fields(err.Error()), " "))
	}
	slices.Sort(parts)
	parts = slices.Compact(parts)
	return fmt.Errorf("config: %s", strings.Join(parts, "; "))
}

// namedErrors collects the per-key errors of a decoding error.
func namedErrors(err error) []namedError {
	if n, ok := err.(namedError); ok {
		return []namedError{n}
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		var out []namedError
		for _, e := range u.Unwrap() {
			out = append(out, namedErrors(e)...)
		}
		return out
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return namedErrors(e)
		}
	}
	return nil
}

const invalidKeys = "has invalid keys: "

func (s configSource) explain(e namedError) string {
	cause := ""
	if c := e.Unwrap(); c != nil {
		cause = c.Error()
	}
	if rest, ok := strings.CutPrefix(cause, invalidKeys); ok {
		var out []string
		for _, k := range strings.Split(rest, ", ") {
			key := strings.TrimPrefix(e.Name()+"."+k, ".")
			msg := "unknown key " + key
			if m := closestKey(key); m != "" {
				msg += " (did you mean " + m + "?)"
			}
			if s.file != "" {
				msg = s.file + ": " + msg
			}
			out = append(out, msg)
		}
		return strings.Join(out, "; ")
	}
	key, t := configKey(e.Name())
	who, _ := s.blame(key)
	if want := expected(t); want != "" {
		return who + ": " + want
	}
	return who + ": " + cause
}

// configKey turns a mapstructure name into a config key and the type it
// decodes into: "score.penalties[pressure]" is the key
// score.penalties.pressure; "engine.surface_offer_urgencies[0]" is an
// element of the list engine.surface_offer_urgencies, blamed on the list.
func configKey(name string) (string, reflect.Type) {
	t := reflect.TypeFor[Config]()
	var key []string
	for part := range strings.SplitSeq(name, ".") {
		field, index, _ := strings.Cut(part, "[")
		index = strings.TrimSuffix(index, "]")
		key = append(key, field)
		if t != nil && t.Kind() == reflect.Struct {
			t = fieldByTag(t, field)
		} else {
			t = nil
		}
		if index != "" && t != nil {
			switch t.Kind() {
			case reflect.Map:
				key = append(key, index)
				t = t.Elem()
			case reflect.Slice:
				// The list is the setting; its whole value is shown.
			}
		}
	}
	return strings.Join(key, "."), t
}

// fieldByTag returns the type of the field of struct t whose mapstructure
// tag is name.
func fieldByTag(t reflect.Type, name string) reflect.Type {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ","); strings.EqualFold(tag, name) {
			return f.Type
		}
	}
	return nil
}

// expected says in words what a setting of type t takes.
func expected(t reflect.Type) string {
	if t == nil {
		return ""
	}
	if t == reflect.TypeFor[time.Duration]() {
		return "want a duration such as 90s, 10m or 1h30m"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "want a whole number"
	case reflect.Float32, reflect.Float64:
		return "want a number"
	case reflect.Bool:
		return "want true or false"
	case reflect.String:
		return "want text"
	case reflect.Slice:
		return "want a list (in a variable: values separated by commas)"
	case reflect.Map, reflect.Struct:
		return "want a section of keys"
	}
	return ""
}

// configKeys lists every key of Config, dotted.
func configKeys() []string {
	var keys []string
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			key := strings.TrimPrefix(prefix+"."+tag, ".")
			if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Duration]() {
				walk(key, f.Type)
				continue
			}
			keys = append(keys, key)
		}
	}
	walk("", reflect.TypeFor[Config]())
	return keys
}

// closestKey suggests the known key a misspelt one was meant to be: one
// in the same section at most two edits away.
func closestKey(key string) string {
	best, bestD := "", 3
	section := key[:strings.LastIndex(key, ".")+1]
	for _, k := range configKeys() {
		if !strings.HasPrefix(k, section) || strings.Contains(k[len(section):], ".") {
			continue
		}
		if d := editDistance(k, key); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// keyPattern finds the dotted keys a validation message names.
var keyPattern = regexp.MustCompile(`\b[a-z_]+(?:\.[a-z_0-9]+)+\b`)

// validateError blames a value that decoded but is out of range on those
// who set the keys the message names: the variables and flags, with their
// values, or else the file.
func (s configSource) validateError(err error) error {
	var set []string
	for _, key := range keyPattern.FindAllString(err.Error(), -1) {
		who, ok := s.blame(key)
		if ok && (strings.HasPrefix(who, "CALLSIM_") || strings.HasPrefix(who, "--")) && !slices.Contains(set, who) {
			set = append(set, who)
		}
	}
	switch {
	case len(set) > 0:
		return fmt.Errorf("config: %s: %w", strings.Join(set, ", "), err)
	case s.file != "":
		return fmt.Errorf("config: %s: %w", s.file, err)
	}
	return fmt.Errorf("config: %w", err)
}
