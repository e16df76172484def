package server

func keyCommands(s *Server) commandGroup { return nil }
