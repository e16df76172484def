package server

// Streams in DUMP and RESTORE: not built yet.

func (s *Server) rdbSaveStream(w *rdbWriter, sv *streamValue) error {
	return errDumpUnsupported
}

func (s *Server) rdbLoadStream(r *rdbReader, typ byte) (*Entry, error) {
	return nil, errBadData
}
