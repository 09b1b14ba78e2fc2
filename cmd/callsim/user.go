package main

import (
	"context"
	"errors"
)

// runUser manages accounts. PLACEHOLDER until the store lands.
func runUser(ctx context.Context, args []string, env Env) error {
	return errors.New("user: not built yet")
}
