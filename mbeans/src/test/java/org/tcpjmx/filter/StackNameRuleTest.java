package org.tcpjmx.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcpjmx.drop.TcpDropper;

/** The filter's {@code stack NAME} and tcpdrop's {@code -S NAME} take the same names: the kernel's module names. */
class StackNameRuleTest {
    private static final String LONGEST = "abcdefghijklm_1"; // 15: TCP_CA_NAME_MAX less its NUL
    private static final String TOO_LONG = LONGEST + "x";

    @Test
    void theFilterAndTcpdropAcceptAndRefuseTheSameNames() {
        assertEquals(new Filter.Stack(LONGEST), FilterParser.parse("stack " + LONGEST));
        assertEquals(new Filter.Stack(LONGEST), TcpDropper.stackFilter(LONGEST));
        IllegalArgumentException parsed = assertThrows(IllegalArgumentException.class, () -> FilterParser.parse("stack " + TOO_LONG));
        IllegalArgumentException dropped = assertThrows(IllegalArgumentException.class, () -> TcpDropper.stackFilter(TOO_LONG));
        assertTrue(parsed.getMessage().contains(Filter.Stack.NAME_RULE), parsed.getMessage());
        assertTrue(dropped.getMessage().contains(Filter.Stack.NAME_RULE), dropped.getMessage());
        for (String odd : new String[] {"cu/bic", "bbr;", "x y"}) {
            assertFalse(Filter.Stack.isName(odd), odd);
            assertThrows(IllegalArgumentException.class, () -> TcpDropper.stackFilter(odd), odd);
        }
    }
}
