package dev.tally.server.invoice.document;

import java.util.ArrayList;
import java.util.List;

/** How a run of text looks: face, size in points, colour and extra space between letters. */
record TextStyle(FontFace face, float size, Ink ink, float tracking) {

    private static final String ELLIPSIS = "\u2026";

    TextStyle in(Ink other) {
        return new TextStyle(face, size, other, tracking);
    }

    TextStyle tracked(float letterSpacing) {
        return new TextStyle(face, size, ink, letterSpacing);
    }

    String printable(String raw) {
        return face.printable(raw);
    }

    /** The visible width: tracking sits between letters, not after the last, so right edges align. */
    float width(String raw) {
        String printable = printable(raw);
        int letters = printable.codePointCount(0, printable.length());
        return face.width(printable, size) + tracking * Math.max(0, letters - 1);
    }

    /** The text broken into lines no wider than {@code maxWidth}, at spaces where possible. */
    List<String> wrap(String raw, float maxWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : printable(raw).trim().split(" +")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (width(candidate) <= maxWidth) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
            }
            String rest = word;
            while (width(rest) > maxWidth && rest.length() > 1) {
                int fitting = longestFittingPrefix(rest, maxWidth);
                lines.add(rest.substring(0, fitting));
                rest = rest.substring(fitting);
            }
            line.append(rest);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** As {@link #wrap(String, float)}, cut to {@code maxLines}; a cut text ends in an ellipsis. */
    List<String> wrap(String raw, float maxWidth, int maxLines) {
        List<String> lines = wrap(raw, maxWidth);
        if (lines.size() <= maxLines) {
            return lines;
        }
        List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
        String last = kept.get(maxLines - 1);
        while (!last.isEmpty() && width(last + ELLIPSIS) > maxWidth) {
            last = last.substring(0, last.offsetByCodePoints(last.length(), -1));
        }
        kept.set(maxLines - 1, last + ELLIPSIS);
        return kept;
    }

    private int longestFittingPrefix(String word, float maxWidth) {
        int end = word.offsetByCodePoints(0, 1);
        while (end < word.length()) {
            int next = word.offsetByCodePoints(end, 1);
            if (width(word.substring(0, next)) > maxWidth) {
                break;
            }
            end = next;
        }
        return end;
    }
}
