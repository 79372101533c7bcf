package org.tcpjmx.jmx;

import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanRegistration;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ObjectName;

/**
 * An {@link OpenMBeanBase} that sends notifications and runs something of its own (a watcher
 * thread, background jobs) that must stop once the MBean is gone, whether the registration closed
 * it or a client unregistered it by name.
 */
abstract class NotifyingOpenMBean extends OpenMBeanBase implements NotificationEmitter, MBeanRegistration {
    private final MBeanNotificationInfo[] notifications;
    private final NotificationBroadcasterSupport broadcaster;
    private final AtomicLong sequence = new AtomicLong();
    private volatile ObjectName name;

    /**
     * @param name the name notifications carry as their source until the MBean is registered under another
     * @param notifications the notifications it sends, as MBeanInfo lists them
     */
    protected NotifyingOpenMBean(String description, ObjectName name, MBeanNotificationInfo... notifications) {
        super(description);
        this.name = name;
        this.notifications = notifications.clone();
        this.broadcaster = new NotificationBroadcasterSupport(notifications);
    }

    /** Stops what the MBean runs; called once it is unregistered, or when its registration failed. */
    protected abstract void stop();

    /** A notification of this MBean: its name as the source, the next sequence number, now. */
    protected final Notification notification(String type, String message) {
        return new Notification(type, name, sequence.incrementAndGet(), System.currentTimeMillis(), message);
    }

    /** Sends it to every listener. */
    protected final void send(Notification n) {
        broadcaster.sendNotification(n);
    }

    @Override
    public final ObjectName preRegister(MBeanServer server, ObjectName requested) {
        if (requested != null) {
            name = requested;
        }
        return name;
    }

    @Override
    public final void postRegister(Boolean registrationDone) {
        if (!Boolean.TRUE.equals(registrationDone)) {
            stop();
        }
    }

    @Override
    public final void preDeregister() {
        // Nothing before: what the MBean runs stops once it is gone.
    }

    @Override
    public final void postDeregister() {
        stop();
    }

    @Override
    protected final MBeanNotificationInfo[] notificationInfo() {
        return notifications.clone();
    }

    @Override
    public final MBeanNotificationInfo[] getNotificationInfo() {
        return notifications.clone();
    }

    @Override
    public final void addNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback) {
        broadcaster.addNotificationListener(listener, filter, handback);
    }

    @Override
    public final void removeNotificationListener(NotificationListener listener) throws ListenerNotFoundException {
        broadcaster.removeNotificationListener(listener);
    }

    @Override
    public final void removeNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback)
            throws ListenerNotFoundException {
        broadcaster.removeNotificationListener(listener, filter, handback);
    }
}
