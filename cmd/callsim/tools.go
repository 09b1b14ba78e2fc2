package main

import (
	"context"
	"errors"
)

func runChat(ctx context.Context, args []string, env Env) error     { return errors.New("todo") }
func runPersonas(ctx context.Context, args []string, env Env) error { return errors.New("todo") }
func runClassify(ctx context.Context, args []string, env Env) error { return errors.New("todo") }
func runReplay(ctx context.Context, args []string, env Env) error   { return errors.New("todo") }
func runVersion(ctx context.Context, args []string, env Env) error  { return errors.New("todo") }
