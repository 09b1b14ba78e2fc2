package main

import (
	"context"
	"errors"
)

// runServe runs the practice server. PLACEHOLDER until the server lands.
func runServe(ctx context.Context, args []string, env Env) error {
	return errors.New("serve: not built yet")
}
