package org.tcpjmx.filter;

import java.util.ArrayList;
import java.util.List;

/** Splits a filter into words, operators and parentheses, remembering where each began. */
final class FilterTokenizer {
    /** A token and its 1-based column in the filter text. */
    record Token(String text, int position) {
    }

    private FilterTokenizer() {
    }

    static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                out.add(new Token(String.valueOf(c), i + 1));
                i++;
            } else if (c == '!' || c == '<' || c == '>' || c == '=') {
                int start = i;
                i++;
                if (i < n && s.charAt(i) == '=') {
                    i++;
                }
                out.add(new Token(s.substring(start, i), start + 1));
            } else if (c == '&' || c == '|') {
                int start = i;
                i++;
                if (i < n && s.charAt(i) == c) {
                    i++;
                }
                out.add(new Token(s.substring(start, i), start + 1));
            } else {
                int start = i;
                int bracket = 0;
                while (i < n) {
                    char d = s.charAt(i);
                    if (d == '[') {
                        bracket++;
                    } else if (d == ']') {
                        bracket--;
                    } else if (bracket <= 0 && (Character.isWhitespace(d) || d == '(' || d == ')' || d == '!'
                            || d == '<' || d == '>' || d == '=' || d == '&' || d == '|')) {
                        break;
                    }
                    i++;
                }
                out.add(new Token(s.substring(start, i), start + 1));
            }
        }
        return out;
    }
}
