package io.jhsm.engine.cloudhsm;

/** A user logged in to the management path (the CLI): who, and in which role. */
public record Principal(String name, Role role) {

    public void require(Role needed, String action) {
        if (role != needed) {
            throw new HsmException(HsmException.Code.FORBIDDEN,
                    action + " needs the " + needed.cliName() + " role; " + name + " is " + role.cliName());
        }
    }
}
