package server

func stringCommands(s *Server) commandGroup { return nil }
