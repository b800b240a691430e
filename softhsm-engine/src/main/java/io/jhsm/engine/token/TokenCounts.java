package io.jhsm.engine.token;

/**
 * A token's occupancy as one application sees it: token keys as committed, its own session keys, and the
 * token's users (CloudWatch's HsmKeysTokenOccupied, HsmKeysSessionOccupied and HsmUsersAvailable).
 */
public record TokenCounts(long tokenKeys, long sessionKeys, long users) {}
