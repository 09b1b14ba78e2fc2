module github.com/callsim/callsim

go 1.26
