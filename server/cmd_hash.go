package server

func hashCommands(s *Server) commandGroup { return nil }
