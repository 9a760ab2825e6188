package trailhound.web.reputation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Splits one RFC 4180 CSV line (quoted cells, doubled quotes inside them). */
final class Csv {
    private Csv() {}

    static List<String> split(String line, Path file, int lineNo) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int quoteStart = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
                quoteStart = i;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IntelFileException(file, lineNo, quoteStart + 1, "quote opened here is never closed");
        }
        cells.add(cell.toString());
        return cells;
    }
}
