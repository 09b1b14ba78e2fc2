package httpapi

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callsim/callsim/sim"
)

// personaView is a persona as the API shows it: the public profile for a
// trainee, everything but the lines for a coach or admin.
type personaView struct {
	sim.PublicPersona
	Hidden     *sim.Hidden     `json:"hidden,omitempty"`
	Objections []sim.Objection `json:"objections,omitempty"`
	Editable   bool            `json:"editable,omitempty"`
}

func (s *Server) viewPersona(u *sim.User, p *sim.Persona) personaView {
	v := personaView{PublicPersona: p.Public()}
	if seesHidden(u) {
		h := p.Hidden
		v.Hidden = &h
		v.Objections = p.Objections
		if v.Objections == nil {
			v.Objections = []sim.Objection{}
		}
		v.Editable = s.inPersonasDir(p.Source)
	}
	return v
}

// inPersonasDir reports whether a persona or scenario file lives in the
// personas directory, so that the API may replace or delete it.
func (s *Server) inPersonasDir(source string) bool {
	if s.PersonasDir == "" || source == "" {
		return false
	}
	rel, err := filepath.Rel(s.PersonasDir, source)
	return err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel)
}

func (s *Server) catalogOrErr() (*sim.Catalog, error) {
	c := s.Catalog()
	if c == nil {
		return nil, sim.Errorf(codeUnavailable, "no personas loaded")
	}
	return c, nil
}

func (s *Server) handlePersonas(w http.ResponseWriter, r *http.Request, sess *session) error {
	c, err := s.catalogOrErr()
	if err != nil {
		return err
	}
	ps := []personaView{}
	for _, id := range c.PersonaIDs() {
		ps = append(ps, s.viewPersona(sess.User, c.Personas[id]))
	}
	scs := []*sim.Scenario{}
	for _, id := range sortedKeys(c.Scenarios) {
		scs = append(scs, c.Scenarios[id])
	}
	writeJSON(w, http.StatusOK, map[string]any{"personas": ps, "scenarios": scs})
	return nil
}

func (s *Server) handlePersona(w http.ResponseWriter, r *http.Request, sess *session) error {
	c, err := s.catalogOrErr()
	if err != nil {
		return err
	}
	p, sc, err := c.Persona(r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"persona": s.viewPersona(sess.User, p), "scenario": sc})
	return nil
}

// validID is the shape of persona and scenario ids that may become file
// names.
func validID(id string) bool {
	if id == "" || len(id) > 64 || id[0] == '.' {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func (s *Server) handlePutPersona(w http.ResponseWriter, r *http.Request, sess *session) error {
	id := r.PathValue("id")
	_, existed := s.catalogPersona(id)
	if err := s.upload(r, w, id, id+".yaml"); err != nil {
		return err
	}
	p, _ := s.catalogPersona(id)
	if p == nil {
		return sim.Errorf(sim.EINVALID, "the file does not define persona %q", id)
	}
	writeJSON(w, http.StatusOK, map[string]any{"persona": s.viewPersona(sess.User, p), "created": !existed})
	return nil
}

func (s *Server) handlePutScenario(w http.ResponseWriter, r *http.Request, sess *session) error {
	id := r.PathValue("id")
	if err := s.upload(r, w, id, filepath.Join("scenarios", id+".yaml")); err != nil {
		return err
	}
	sc := s.Catalog().Scenarios[id]
	if sc == nil {
		return sim.Errorf(sim.EINVALID, "the file does not define scenario %q", id)
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenario": sc})
	return nil
}

func (s *Server) catalogPersona(id string) (*sim.Persona, bool) {
	c := s.Catalog()
	if c == nil {
		return nil, false
	}
	p, ok := c.Personas[id]
	return p, ok
}

// upload validates a YAML file together with the whole catalog in a copy
// of the personas directory, then writes it atomically into the directory
// and swaps the catalog.
func (s *Server) upload(r *http.Request, w http.ResponseWriter, id, rel string) error {
	if !validID(id) {
		return sim.Errorf(sim.EINVALID, "bad id %q: letters, digits, '.', '-' and '_' only", id)
	}
	if s.PersonasDir == "" || s.LoadCatalog == nil {
		return sim.Errorf(sim.ECONFLICT, "no personas directory is configured: start callsim with --personas DIR, or set personas.dir in config.yaml (CALLSIM_PERSONAS_DIR)")
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	s.uploadMu.Lock()
	defer s.uploadMu.Unlock()

	tmp, err := os.MkdirTemp("", "callsim-upload-")
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := copyTree(s.PersonasDir, tmp); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Join(tmp, rel)), 0o755); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, rel), data, 0o644); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	if _, err := s.LoadCatalog(r.Context(), tmp); err != nil {
		return renameSource(err, tmp, s.PersonasDir)
	}
	final := filepath.Join(s.PersonasDir, rel)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	if err := writeFileAtomic(final, data); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	_, err = s.reloadLocked(r.Context())
	return err
}

// renameSource makes a loader error found in the temporary copy point at
// the real personas directory.
func renameSource(err error, tmp, dir string) error {
	var fe *sim.FieldError
	if errors.As(err, &fe) {
		cp := *fe
		if rel, rerr := filepath.Rel(tmp, fe.File); rerr == nil && !strings.HasPrefix(rel, "..") {
			cp.File = filepath.Join(dir, rel)
		}
		return &cp
	}
	return sim.Errorf(sim.EINVALID, "%s", strings.ReplaceAll(err.Error(), tmp, dir))
}

func (s *Server) handleDeletePersona(w http.ResponseWriter, r *http.Request, sess *session) error {
	id := r.PathValue("id")
	if !validID(id) {
		return sim.Errorf(sim.ENOTFOUND, "unknown persona %q", id)
	}
	if s.PersonasDir == "" || s.LoadCatalog == nil {
		return sim.Errorf(sim.ECONFLICT, "no personas directory is configured: start callsim with --personas DIR, or set personas.dir in config.yaml (CALLSIM_PERSONAS_DIR)")
	}
	s.uploadMu.Lock()
	defer s.uploadMu.Unlock()
	p, ok := s.catalogPersona(id)
	if !ok {
		return sim.Errorf(sim.ENOTFOUND, "unknown persona %q", id)
	}
	if !s.inPersonasDir(p.Source) {
		return sim.Errorf(sim.ECONFLICT, "persona %q is shipped with callsim and cannot be deleted", id)
	}
	if err := os.Remove(p.Source); err != nil {
		return fmt.Errorf("delete persona: %w", err)
	}
	if _, err := s.reloadLocked(r.Context()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleReload(w http.ResponseWriter, r *http.Request, sess *session) error {
	c, err := s.Reload(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"personas": len(c.Personas)})
	return nil
}

// copyTree copies the YAML files of the personas layout (root and
// scenarios/) from src to dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if rel != "." && rel != "scenarios" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !strings.HasSuffix(d.Name(), ".yaml") || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place, so the loader never sees half a file.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
