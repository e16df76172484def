// Package text is the search module's document tokenizer: it splits a TEXT
// field's value into terms, folds their case, drops stop words and attaches
// Snowball stems, the way RediSearch 2.10 does (src/tokenize.c, src/toksep.h,
// src/stopwords.c, src/stemmer.c, src/language.c).
//
// The rules, as the real module applies them to documents:
//
//   - Tokens are separated by the bytes of the separator set (see
//     IsSeparator): blanks, line breaks and ASCII punctuation except '_'
//     and '\'. A separator directly preceded by a backslash byte does not
//     split, so `hello\-world` stays one token.
//   - Each token is normalized: an unescaped backslash is removed (it
//     escapes the next byte), unescaped blanks and every ASCII control byte
//     are removed, and the result is lower-cased (Fold).
//   - A raw token longer than MaxTokenBytes bytes is cut to its first
//     MaxTokenBytes bytes before normalization.
//   - Tokens that normalize to nothing and stop words are dropped and
//     consume no position: positions count emitted tokens only.
//   - A token is stemmed when stemming is on for the field, the language has
//     a stemmer and the token is at least MinStemLen bytes long; the stem is
//     kept only when it differs from the token. The module indexes it under
//     StemPrefix+stem.
//   - The text ends at its first NUL byte (the module reads it as a C string).
//
// It imports the Snowball stemmer and the standard library only.
package text
