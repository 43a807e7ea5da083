; Sense-VM image, format version 1: labels are code offsets
.format sensevm 1
.int 2                          ; #0
.int 1                          ; #1
.float 2                        ; #0
.float 0.5                      ; #1
.float 2.5                      ; #2
.metadata {"dataTypes":[],"source":"constants.cam","mainType":{"kind":"float"}}

    LOADI #0                    ; @0  = 2  constants.cam:6:10
    CALL L12                    ; @3  constants.cam:6:8
    MOVE                        ; @6
    LOADF #0                    ; @7  = 2  constants.cam:6:14
    DIVF                        ; @10  constants.cam:6:8
    STOP                        ; @11
L12:
    PUSH                        ; @12  constants.cam:4:1
    MOVE                        ; @13
    LOADI #1                    ; @14  = 1
    EQI                         ; @17
    GOTOFALSE L25               ; @18
    LOADF #1                    ; @21  = 0.5  constants.cam:4:7
    RETURN                      ; @24
L25:
    MOVE                        ; @25  constants.cam:4:1
    LOADI #0                    ; @26  = 2
    EQI                         ; @29
    GOTOIFALSE L37              ; @30
    LOADF #2                    ; @33  = 2.5  constants.cam:5:7
    RETURN                      ; @36
L37:
    FAIL 0                      ; @37  match failure  constants.cam:4:1

.debug 0 3 "constants.cam" 6 10
.debug 3 4 "constants.cam" 6 8
.debug 7 3 "constants.cam" 6 14
.debug 10 1 "constants.cam" 6 8
.debug 12 9 "constants.cam" 4 1
.debug 21 4 "constants.cam" 4 7
.debug 25 8 "constants.cam" 4 1
.debug 33 4 "constants.cam" 5 7
.debug 37 2 "constants.cam" 4 1
