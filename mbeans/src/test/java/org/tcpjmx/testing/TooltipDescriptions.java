package org.tcpjmx.testing;

import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;

/**
 * The rule for MBeanInfo descriptions that src/docs/mbeans.md states: the first sentence is at most
 * {@value #FIRST_SENTENCE_LIMIT} characters. JConsole shows a description as a one-line tooltip
 * (attributes, operations, parameters) and in a table cell (the MBeanInfo tab), plain text that
 * never wraps, so only the beginning is sure to be on screen; that beginning has to say what the
 * thing is, and the details come after it.
 */
public final class TooltipDescriptions {
    /**
     * About 650 pixels in Swing's default 12-point tooltip font: on screen from wherever the
     * pointer is on the left half of a 1366-pixel display.
     */
    public static final int FIRST_SENTENCE_LIMIT = 100;

    private TooltipDescriptions() {
    }

    /**
     * The description up to and including the first full stop that is followed by white space or
     * ends it ("Linux 6.0" has none), or all of it when there is no such full stop.
     */
    public static String firstSentence(String description) {
        for (int i = 0; i < description.length(); i++) {
            if (description.charAt(i) == '.' && (i + 1 == description.length() || Character.isWhitespace(description.charAt(i + 1)))) {
                return description.substring(0, i + 1);
            }
        }
        return description;
    }

    /**
     * Every description of the MBean, its attributes, operations, their parameters and its
     * notifications whose first sentence is over the limit or that is empty, each named as
     * {@code MBEAN attribute NAME: LENGTH characters: "FIRST SENTENCE"}.
     */
    public static List<String> tooLong(String mbean, MBeanInfo info) {
        List<String> out = new ArrayList<>();
        check(out, mbean, info.getDescription());
        for (MBeanAttributeInfo a : info.getAttributes()) {
            check(out, mbean + " attribute " + a.getName(), a.getDescription());
        }
        for (MBeanOperationInfo o : info.getOperations()) {
            check(out, mbean + " operation " + o.getName(), o.getDescription());
            for (MBeanParameterInfo p : o.getSignature()) {
                check(out, mbean + " operation " + o.getName() + " parameter " + p.getName(), p.getDescription());
            }
        }
        for (MBeanNotificationInfo n : info.getNotifications()) {
            check(out, mbean + " notification " + String.join(",", n.getNotifTypes()), n.getDescription());
        }
        return out;
    }

    private static void check(List<String> out, String what, String description) {
        if (description == null || description.isBlank()) {
            out.add(what + ": no description");
            return;
        }
        String first = firstSentence(description);
        if (first.length() > FIRST_SENTENCE_LIMIT) {
            out.add(what + ": " + first.length() + " characters: \"" + first + "\"");
        }
    }
}
